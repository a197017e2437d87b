/**
 * Messages between web instances and queue workers over PostgreSQL LISTEN/NOTIFY: the run
 * events a worker streams back to the web instance holding the browser's stream, cancels, and
 * cache lookups. Why NOTIFY, and not a table or a socket the worker opens to the web server:
 * - every machine already reaches PostgreSQL, and nothing else (a worker behind NAT, web
 *   instances behind a load balancer): no address to publish, no second port to secure;
 * - a notification is delivered in about a millisecond (bench/queue.ts measures the round trip)
 *   and never stored, so there is no table to poll, index or vacuum; a table would pay an insert,
 *   a read and a delete per event for a durability a live stream does not need;
 * - the price: a notification is lost when its listener is not connected. A web instance whose
 *   listening connection drops fails the runs it was relaying, with a sentence (queue-engine.ts).
 *
 * Payloads: NOTIFY carries at most 8000 bytes, and a node's view or a page can be larger, so a
 * message is JSON, and one over CHUNK_CHARS is cut into parts sent in one statement
 * (`SELECT pg_notify(c, p1), pg_notify(c, p2), …`), which PostgreSQL delivers together and in
 * order. A part never splits a surrogate pair, so every part is well-formed UTF-8. All messages of
 * one process go through one connection, one statement after the other (the messages that queued
 * up while one was out go together in the next), so they arrive in the order they were sent. Channel names are our own constants plus ids (no user text).
 *
 * @example
 * // a 20,000-character message to channel "tl_web_x" is 8 notifications "~<id>:<i>:8:<part>"
 *
 * Not handled here: what the messages mean (queue-engine.ts, worker.ts).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** UTF-16 units per part: at most 3 UTF-8 bytes each, so a part stays under NOTIFY's 8000 bytes. */
const CHUNK_CHARS = 2500;
const RECONNECT_MS = 1000;
const QUERY_TIMEOUT_MS = 10_000;
/** Parts of an unfinished message are dropped after this long (their sender died mid-statement). */
const PARTIAL_TTL_MS = 30_000;
/** Notifications per statement when several messages wait (one message's parts are never split up). */
const BATCH_NOTIFICATIONS = 200;

export interface NotifyChannel {
  send(channel: string, message: unknown): Promise<void>;
  /** Deliver every message on `channel` to `onMessage` (until close). */
  listen(channel: string, onMessage: (message: unknown) => void): Promise<void>;
  /** Called with false when the listening connection drops, true when it is back. */
  onConnection(handler: (up: boolean) => void): void;
  /** Round trip to the database on the sending connection; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Split `text` into parts of at most `size` UTF-16 units, never between the halves of a surrogate pair. */
export function splitParts(text: string, size = CHUNK_CHARS): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

export function createNotifyChannel(url: string, applicationName: string): NotifyChannel {
  const handlers = new Map<string, (message: unknown) => void>();
  const partials = new Map<string, { parts: string[]; got: number; at: number }>();
  const connectionHandlers: ((up: boolean) => void)[] = [];
  let closed = false;
  let sender: pg.Client | undefined;
  let sending: Promise<pg.Client> | undefined;
  let listener: pg.Client | undefined;

  const connect = async (): Promise<pg.Client> => {
    // A connection that dies silently must not hold every later message: queries give up after QUERY_TIMEOUT_MS.
    const client = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true, query_timeout: QUERY_TIMEOUT_MS });
    client.on('error', () => undefined); // seen as a failed query or an 'end'
    await client.connect();
    return client;
  };

  function senderClient(): Promise<pg.Client> {
    sending ??= connect().then(
      (client) => {
        sender = client;
        client.on('end', () => {
          if (sender === client) sender = undefined;
          sending = undefined;
        });
        return client;
      },
      (error: unknown) => {
        sending = undefined;
        throw error;
      },
    );
    return sending;
  }

  function deliver(channel: string, payload: string) {
    const handler = handlers.get(channel);
    if (!handler) return;
    let json = payload;
    if (payload.startsWith('~')) {
      const [id, index, count] = payload.slice(1).split(':', 3) as [string, string, string];
      const body = payload.slice(1 + id.length + index.length + count.length + 3);
      const now = Date.now();
      for (const [key, partial] of partials) if (now - partial.at > PARTIAL_TTL_MS) partials.delete(key);
      const partial = partials.get(id) ?? { parts: new Array<string>(Number(count)).fill(''), got: 0, at: now };
      partials.set(id, partial);
      partial.parts[Number(index)] = body;
      partial.got += 1;
      if (partial.got < partial.parts.length) return;
      partials.delete(id);
      json = partial.parts.join('');
    }
    try {
      handler(JSON.parse(json));
    } catch (error) {
      console.error(`[queue] dropped a message on ${channel}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function openListener(): Promise<void> {
    const client = await connect();
    client.on('notification', (n) => deliver(n.channel, n.payload ?? ''));
    client.on('end', () => {
      if (listener !== client) return;
      listener = undefined;
      if (closed) return;
      for (const handler of connectionHandlers) handler(false);
      void reconnect();
    });
    for (const channel of handlers.keys()) await client.query(`LISTEN "${channel}"`);
    listener = client;
  }

  async function reconnect(): Promise<void> {
    while (!closed && !listener) {
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      try {
        await openListener();
        for (const handler of connectionHandlers) handler(true);
      } catch {
        // not yet: try again
      }
    }
  }

  /**
   * One statement at a time on the sending connection, in the order send() was called. The
   * messages queued while a statement is out go together in the next one (one round trip for
   * all of them; PostgreSQL delivers a transaction's notifications in order), unless two would be
   * the same notification, which PostgreSQL would fold into one.
   */
  type Outgoing = { notifications: string[]; resolve: () => void; reject: (error: unknown) => void };
  const queue: (Outgoing | { ping: true; resolve: () => void; reject: (error: unknown) => void })[] = [];
  let pumping = false;

  function takeBatch(): Outgoing[] {
    const batch: Outgoing[] = [];
    const seen = new Set<string>();
    let count = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      if ('ping' in next) break;
      if (batch.length > 0 && count + next.notifications.length / 2 > BATCH_NOTIFICATIONS) break;
      const keys: string[] = [];
      for (let i = 0; i < next.notifications.length; i += 2) keys.push(`${next.notifications[i]}\u0000${next.notifications[i + 1]}`);
      if (keys.some((key) => seen.has(key))) break;
      for (const key of keys) seen.add(key);
      count += next.notifications.length / 2;
      batch.push(queue.shift() as Outgoing);
    }
    return batch;
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        let client: pg.Client;
        try {
          client = await senderClient();
        } catch (error) {
          for (const item of queue.splice(0)) item.reject(error);
          return;
        }
        const head = queue[0]!;
        if ('ping' in head) {
          queue.shift();
          await client.query('SELECT 1').then(head.resolve, head.reject);
          continue;
        }
        const batch = takeBatch();
        const values = batch.flatMap((item) => item.notifications);
        const calls = Array.from({ length: values.length / 2 }, (_, i) => `pg_notify($${2 * i + 1}, $${2 * i + 2})`).join(', ');
        await client.query(`SELECT ${calls}`, values).then(
          () => batch.forEach((item) => item.resolve()),
          (error: unknown) => batch.forEach((item) => item.reject(error)),
        );
      }
    } finally {
      pumping = false;
    }
  }

  /** `channel, payload` pairs for one message: itself, or its parts when it is over CHUNK_CHARS. */
  function notificationsOf(channel: string, message: unknown): string[] {
    const json = JSON.stringify(message);
    if (json.length <= CHUNK_CHARS) return [channel, json];
    const id = randomUUID();
    const parts = splitParts(json);
    return parts.flatMap((part, i) => [channel, `~${id}:${i}:${parts.length}:${part}`]);
  }

  return {
    send(channel, message) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ notifications: notificationsOf(channel, message), resolve, reject });
        void pump();
      });
    },
    async listen(channel, onMessage) {
      if (!/^tl_[a-z0-9_]{1,60}$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
      handlers.set(channel, onMessage);
      if (listener) await listener.query(`LISTEN "${channel}"`);
      else await openListener();
    },
    onConnection(handler) {
      connectionHandlers.push(handler);
    },
    ping() {
      return new Promise<void>((resolve, reject) => {
        queue.push({ ping: true, resolve, reject });
        void pump();
      });
    },
    async close() {
      closed = true;
      await Promise.all([listener?.end().catch(() => undefined), sender?.end().catch(() => undefined)]);
      listener = undefined;
      sender = undefined;
    },
  };
}
