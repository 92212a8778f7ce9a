/** Time and identity come from outside the domain so that tests can pin them. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
