/**
 * The brief's steps as performance measures named `brief: <step>`, seen in DevTools' performance
 * panel and read back by bench/brief.ts to say where the time goes. Start times are from the
 * navigation, like the page's own ready count (`data-brief-ms`).
 */
export async function timed<T>(step: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    performance.measure(`brief: ${step}`, { start, end: performance.now() });
  }
}
