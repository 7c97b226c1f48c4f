// Progress for long ops work: a redrawn bar with count, rate and time left on a terminal; plain lines otherwise.

export interface Progress {
  tick(n?: number): void;
  done(summary?: string): void;
}

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly stream?: NodeJS.WriteStream;
  /** Plain-line mode prints at most this often. */
  readonly lineEveryMs?: number;
}

const clock = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function progress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && process.env.CI !== 'true';
  const started = performance.now();
  let count = 0;
  let lastDraw = 0;

  const line = () => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    const left = rate > 0 ? (options.total - count) / rate : Number.POSITIVE_INFINITY;
    return { rate, left, elapsed };
  };

  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - lastDraw < (tty ? 80 : (options.lineEveryMs ?? 2000))) return;
    lastDraw = now;
    const { rate, left } = line();
    const pct = options.total > 0 ? count / options.total : 1;
    if (tty) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
      const filled = Math.round(pct * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(
        `\r${options.label} ${bar} ${count}/${options.total} ${(pct * 100).toFixed(0).padStart(3)}% ` +
          `${rate.toFixed(0)}/s ETA ${clock(left)}  `,
      );
    } else {
      stream.write(
        `${options.label}: ${count}/${options.total} (${(pct * 100).toFixed(0)}%), ${rate.toFixed(0)}/s, ${clock(left)} left\n`,
      );
    }
  };

  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    done(summary) {
      draw(true);
      if (tty) stream.write('\n');
      const { elapsed } = line();
      stream.write(`${options.label}: ${summary ?? `${count} done`} in ${elapsed.toFixed(1)} s\n`);
    },
  };
}
