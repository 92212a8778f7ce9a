/** Work that goes on after a request was answered, tracked so that a closing process can wait for it. */
export function backgroundTasks(onError: (error: unknown) => void = (error) => console.error('Background task failed:', error)): { run(task: () => Promise<void>): void; idle(): Promise<void> } {
  const running = new Set<Promise<void>>();
  return {
    run(task) {
      const done: Promise<void> = Promise.resolve()
        .then(task)
        .catch(onError)
        .finally(() => running.delete(done));
      running.add(done);
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
  };
}
