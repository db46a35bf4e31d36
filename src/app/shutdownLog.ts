/**
 * Ctrl-C reaches the embedded PostgreSQL as well as the platform (same process group), so the
 * server closes its connections while the platform is still stopping, and every lease, the
 * notifier and idle pool clients would each report the loss. Once stopping has begun those
 * losses are expected: they are left out, and every other line still goes through.
 */
const CONNECTION_LOST = /^(lease \S+|notifier connection|idle database connection) lost: /;

export const shutdownAwareLog = (write: (line: string) => void) => {
  let stopping = false;
  return {
    log: (line: string) => {
      if (stopping && CONNECTION_LOST.test(line)) return;
      write(line);
    },
    stopping: () => {
      stopping = true;
    },
  };
};
