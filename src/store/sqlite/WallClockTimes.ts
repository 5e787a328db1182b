// Stored records carry wall-clock times (DESIGN.md, Persistence): the server's records hold times
// on its injected Clock, monotonic for the system clock (performance.now(), which restarts at 0 with
// the process), so the SQLite stores translate at their boundary. The offset between the two clocks
// is read once per open: times written and read back in one process are exact, and after a restart
// a registration keeps its remaining lifetime as measured by the wall clock.

/** A clock whose `now()` gives the times records hold. */
export interface RecordClock {
  now(): number;
}

/** Translates record times (the server's clock) to wall-clock ms since 1970 and back. */
export class WallClockTimes {
  private readonly offset: number;

  constructor(clock: RecordClock, wallClock: () => number = Date.now) {
    this.offset = wallClock() - clock.now();
  }

  /** The wall-clock time (integer ms since 1970) of a record time. */
  toWall(recordTime: number): number {
    return Math.round(recordTime + this.offset);
  }

  /** The record time of a wall-clock time. */
  fromWall(wallTime: number): number {
    return wallTime - this.offset;
  }
}
