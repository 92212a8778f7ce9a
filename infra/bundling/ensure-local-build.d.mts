/** The project root (the folder holding package.json). */
export declare const PROJECT_ROOT: string;
/** dist/: the built CLI and local server. */
export declare const LOCAL_BUILD_DIR: string;
/** Why the build folder must be built again (a short phrase naming the file), or null when it is fresh. */
export function staleReason(outdir?: string): string | null;

export type LocalBuildOutcome =
  | { built: false; reason: null }
  | { built: true; reason: string; ms: number; files: { name: string; bytes: number }[]; externals: string[] };

/** Builds dist/ (or `outdir`, inside the project) when stale or forced; rejects when the build fails. */
export function ensureLocalBuild(options?: { force?: boolean; outdir?: string; log?: (line: string) => void }): Promise<LocalBuildOutcome>;
