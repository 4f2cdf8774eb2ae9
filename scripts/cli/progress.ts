import cliProgress from 'cli-progress';
import { printable } from './report';

/**
 * Progress for long phases: a bar on a terminal, one plain line per phase otherwise (CI logs and
 * pipes stay readable).
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private phase = '';
  private readonly tty = Boolean(process.stderr.isTTY) && !process.env.CI;

  constructor(private readonly quiet = false) {}

  /** `detail` is often a user name, from input: shown with control characters escaped. */
  update(phase: string, done: number, total: number, rawDetail = ''): void {
    if (this.quiet) return;
    const detail = printable(rawDetail);
    if (phase !== this.phase) {
      this.finish();
      this.phase = phase;
      if (this.tty) {
        this.bar = new cliProgress.SingleBar(
          { format: `${phase.padEnd(16)} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(total, 0, { detail });
      }
    }
    this.bar?.update(done, { detail });
    if (!this.tty && done === total) process.stderr.write(`${phase}: ${done}/${total} done\n`);
  }

  finish(): void {
    this.bar?.stop();
    this.bar = null;
    this.phase = '';
  }
}
