import cliProgress from 'cli-progress';

/** A bar on the terminal: started with the work's total, moved on as each part is done. */
export const terminalProgress = (label: string, unit = '') => {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total}${unit} | {eta}s left` },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total: number) => bar.start(total, 0),
    update: (done: number) => bar.update(done),
    stop: () => bar.stop(),
  };
};
