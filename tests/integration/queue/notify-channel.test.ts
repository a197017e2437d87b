/**
 * The NOTIFY channel (server/run/queue/notify-channel.ts) on a real PostgreSQL
 * (scripts/with-postgres.sh sets DATABASE_URL): messages sent while a statement is out go
 * together in the next one, and still arrive all, in the order sent, whole (parts of a long
 * message joined back), and twice when the same message is sent twice (PostgreSQL folds identical
 * notifications of one transaction into one, so a batch never holds the same one twice).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyChannel, type NotifyChannel } from '@/server/run/queue/notify-channel';

describe('the NOTIFY channel between web instances and workers (real PostgreSQL)', () => {
  let sender: NotifyChannel;
  let receiver: NotifyChannel;
  const received: unknown[] = [];
  let onReceived = () => undefined as void;

  beforeAll(async () => {
    expect(process.env.DATABASE_URL, 'run this file with scripts/with-postgres.sh').toMatch(/^postgres/);
    sender = createNotifyChannel(process.env.DATABASE_URL!, 'tokenloom-test');
    receiver = createNotifyChannel(process.env.DATABASE_URL!, 'tokenloom-test');
    await receiver.listen('tl_test', (message) => {
      received.push(message);
      onReceived();
    });
  });

  afterAll(async () => {
    await Promise.all([sender?.close(), receiver?.close()]);
  });

  async function receive(count: number): Promise<unknown[]> {
    const t0 = Date.now();
    while (received.length < count) {
      if (Date.now() - t0 > 20_000) throw new Error(`got ${received.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        onReceived = resolve;
        setTimeout(resolve, 200);
      });
    }
    return received.splice(0);
  }

  it('delivers 300 messages sent at once, in order, long ones whole and repeated ones every time', async () => {
    const long = `naïve café 🙂 ଓଡ଼ିଆ ${'x'.repeat(9000)}\u0000\ud800 end`;
    const messages = Array.from({ length: 300 }, (_, i) => (i % 50 === 7 ? { i, long } : i % 10 === 3 ? { same: true } : { i }));
    const sent = messages.map((message) => sender.send('tl_test', message));
    await Promise.all(sent);
    expect(await receive(messages.length)).toEqual(messages);
  });

  it('keeps a ping in its place between messages, and refuses a message that is not JSON without losing the others', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const first = sender.send('tl_test', { n: 1 });
    const pinged = sender.ping();
    const bad = sender.send('tl_test', circular);
    const last = sender.send('tl_test', { n: 2 });
    await expect(bad).rejects.toThrow(/circular/i);
    await Promise.all([first, pinged, last]);
    expect(await receive(2)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
