/**
 * The light request of bench/server-load.ts, in a process of its own: autocannon against one
 * URL for a few seconds, every response's latency kept (so p95 is exact), printed as JSON.
 * Run apart from the 50 looping run clients, so their SSE parsing in the bench's own event loop
 * does not add to the light request's measured latency: what is measured is the server.
 *
 * Run: npx tsx bench/light-probe.ts <url> <connections> <seconds>
 */
import autocannon from 'autocannon';

const [url, connections, seconds] = process.argv.slice(2);
const times: number[] = [];
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon({ url: url!, connections: Number(connections), duration: Number(seconds) }, (error, done) =>
    error ? reject(error) : resolve(done),
  );
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
});
process.stdout.write(JSON.stringify({ times, requestsPerSecond: result.requests.average, errors: result.errors + result.non2xx }));
