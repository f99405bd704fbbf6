/** A progress bar for long CLI work, on stderr so stdout stays machine-readable. */
export class ProgressBar {
  private last = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, extra = ''): void {
    const now = Date.now();
    const every = this.out.isTTY ? 200 : 5000;
    if (now - this.last < every && done < this.total) return;
    this.last = now;
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 0;
    const width = 30;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const secs = ((now - this.started) / 1000).toFixed(1);
    const line = `${this.label} ${bar} ${(frac * 100).toFixed(1).padStart(5)}% ${secs}s ${extra}`;
    if (this.out.isTTY) this.out.write(`\r${line}`);
    else this.out.write(`${line}\n`);
  }

  done(extra = ''): void {
    this.last = 0;
    this.update(this.total, extra);
    if (this.out.isTTY) this.out.write('\n');
  }
}
