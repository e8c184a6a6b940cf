/**
 * `read`, or a rejection once it has gone `ms` unanswered, after calling `stalled` (which drops
 * the connection, so the stale read can no longer answer). A blocking read on a link that went
 * silent (packets dropped, no RST) would otherwise wait for TCP's retransmission timeout, minutes.
 */
export function readWithDeadline<T>(read: Promise<T>, ms: number, stalled: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      read.catch(() => {});
      stalled();
      reject(new Error(`no answer to a blocking read in ${ms} ms: reconnecting`));
    }, ms);
    read.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
