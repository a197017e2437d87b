'use client';
/** Joining a live class: the code (prefilled from the link) and an optional display name. */
import { useState } from 'react';
import { api, describeApiError } from '@/trpc/client';

export interface Joined {
  classId: string;
  participantToken: string;
  displayName: string;
}

/** The code as the server reads it (letters and digits, upper case). */
const canonicalCode = (typed: string) => typed.toUpperCase().replaceAll(/[^A-Z0-9]/g, '');

export function JoinForm({ code, onJoined }: { code: string; onJoined(joined: Joined, code: string): void }) {
  const [typed, setTyped] = useState(code);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const join = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const joined = await api.live.join.mutate({ code: typed, displayName: name });
      onJoined(joined, canonicalCode(typed));
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="mx-auto grid max-w-md gap-4 p-8">
      <h1 className="text-2xl font-semibold">Join the class</h1>
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void join();
        }}
      >
        <label className="grid gap-1 text-sm">
          Join code (on the teacher’s screen)
          <input className="field font-mono text-2xl tracking-widest uppercase" value={typed} maxLength={12} onChange={(e) => setTyped(e.target.value)} data-testid="live-join-code" autoComplete="off" />
        </label>
        <label className="grid gap-1 text-sm">
          Your name (optional, up to 40 characters)
          <input className="field" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} data-testid="live-join-name" />
        </label>
        <button type="submit" className="btn justify-self-start" disabled={busy} data-testid="live-join">
          {busy ? 'Joining…' : 'Join'}
        </button>
        {problem && (
          <p role="alert" className="text-sm text-rose-600" data-testid="live-join-problem">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}
