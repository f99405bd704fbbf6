/**
 * The clock of the rights workflows: filing dates, deadlines, record versions and evaluations all
 * take their time from here, never from the database's now(), so that one instant stamps a
 * decision and everything it changes. An abstract class, so it is its own DI token; tests spy on
 * or replace `now`.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved: for tests and tools. */
export class FixedClock extends Clock {
  constructor(private at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date | string): void {
    this.at = typeof at === 'string' ? new Date(at) : at;
  }
}
