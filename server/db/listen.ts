/**
 * LISTEN/NOTIFY for either driver: `listenerFor(db)` gives the database's `listen(channel, onPayload)`.
 *
 * - PGlite: its own listen(), in-process (one PGlite per process, so every NOTIFY sent through
 *   the same instance reaches it).
 * - PostgreSQL: one dedicated connection per listener (a pooled one would be handed to other
 *   queries), LISTENing on the channel. When it drops, it reconnects with a growing delay
 *   (0.5 s up to 10 s) and calls `onReconnect`: notifications sent meanwhile were lost, so the
 *   caller re-reads what it holds.
 * Sending is plain SQL on the normal pool: `SELECT pg_notify(channel, payload)`, delivered when
 * the sending transaction commits. Payloads are short ids (PostgreSQL's limit is 8000 bytes).
 * Not handled here: what the notifications mean (server/live/hub.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import type { Database } from '@/server/db/client';

export interface Listener {
  /** Start listening; resolves once LISTEN is in place. The returned function stops. */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
}

const listeners = new WeakMap<object, Listener>();

export function registerListener(db: Database, listener: Listener): void {
  listeners.set(db, listener);
}

/** The listener of a database opened by openDatabase; throws for one opened some other way. */
export function listenerFor(db: Database): Listener {
  const listener = listeners.get(db);
  if (!listener) throw new Error('This database was not opened with openDatabase, so it cannot LISTEN.');
  return listener;
}

export function pgliteListener(client: PGlite): Listener {
  return { listen: async (channel, onPayload) => client.listen(channel, onPayload).then((stop) => () => stop()) };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export function postgresListener(url: string): Listener {
  return {
    async listen(channel, onPayload, onReconnect) {
      let stopped = false;
      let client: Client | undefined;
      let delayMs = 500;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const connect = async (): Promise<void> => {
        const next = new Client({ connectionString: url });
        next.on('notification', (message) => {
          if (message.channel === channel) onPayload(message.payload ?? '');
        });
        // An error or end on the listening connection: reconnect (unless stopped).
        const lost = () => {
          if (stopped || client !== next) return;
          client = undefined;
          next.end().catch(() => undefined);
          retry = setTimeout(() => {
            connect().then(
              () => onReconnect?.(),
              () => undefined,
            );
          }, delayMs);
          delayMs = Math.min(10_000, delayMs * 2);
        };
        next.on('error', (error) => {
          console.error(`[db] LISTEN connection failed: ${error.message}`);
          lost();
        });
        next.on('end', lost);
        client = next;
        try {
          await next.connect();
          await next.query(`LISTEN ${quoteIdent(channel)}`);
          delayMs = 500;
        } catch (error) {
          lost();
          throw error;
        }
      };
      await connect();
      return async () => {
        stopped = true;
        clearTimeout(retry);
        const current = client;
        client = undefined;
        await current?.end().catch(() => undefined);
      };
    },
  };
}
