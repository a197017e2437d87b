/**
 * Live classes over real HTTP and SSE (tRPC's standalone adapter, the `eventsource` client):
 * on PGlite, one instance; with DATABASE_URL (scripts/with-postgres.sh), also two instances on
 * one PostgreSQL, the teacher on one and the students on the other, so every change crosses
 * from one instance to the other through LISTEN/NOTIFY.
 */
import { TRPCClientError } from '@trpc/client';
import { sql } from 'drizzle-orm';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient as LiveClient } from '@/trpc/client';
import { openDatabase, type DatabaseTarget, type OpenDatabase } from '@/server/db/client';
import { liveJoinGuessTable } from '@/server/db/schema';
import { issueClientCookieValue } from '@/server/api/client-identity';
import { startLiveInstance, type LiveInstance } from './live-instance';
import { follow, lessonDoc, refused } from './live-helpers';

const targets: Array<{ name: string; target: DatabaseTarget; instances: 1 | 2 }> = [
  { name: 'PGlite, one instance', target: { driver: 'pglite', dataDir: 'memory://' }, instances: 1 },
];
if (process.env.DATABASE_URL) {
  targets.push({ name: 'PostgreSQL, two instances', target: { driver: 'postgres', url: process.env.DATABASE_URL }, instances: 2 });
}

const CONFIG = { maxStudents: 3, idleMs: 3_600_000, joinGuessesPerMinute: 6 };

const last = <T,>(xs: T[]) => xs[xs.length - 1];

describe.each(targets)('live class ($name)', ({ target, instances }) => {
  const opened: OpenDatabase[] = [];
  let teacherSide: LiveInstance;
  let studentSide: LiveInstance;
  let teacher: LiveClient;
  let student: LiveClient;
  /** A client with a signed cookie of its own (a browser that got one), so its limits are its own. */
  const withCookie = (side: LiveInstance, cookie = `tl_client=${issueClientCookieValue()}`) => createApiClient({ url: side.url, EventSource, headers: { cookie } });

  beforeAll(async () => {
    const first = await openDatabase(target);
    opened.push(first);
    const second = instances === 2 ? await openDatabase(target) : first;
    if (second !== first) opened.push(second);
    teacherSide = await startLiveInstance(first.db, CONFIG);
    studentSide = instances === 2 ? await startLiveInstance(second.db, CONFIG) : teacherSide;
    teacher = createApiClient({ url: teacherSide.url, EventSource });
    student = createApiClient({ url: studentSide.url, EventSource });
  });

  afterAll(async () => {
    await teacherSide?.close();
    if (studentSide !== teacherSide) await studentSide?.close();
    for (const db of opened) await db.close();
  });

  it('runs a class: join, follow, late join, answer, change the answer, reveal, end', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    const projector = follow(teacher, { classId, controlSecret });

    const ada = await student.live.join.mutate({ code: `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`, displayName: 'Ada' });
    expect(ada.classId).toBe(classId);
    const adaSees = follow(student, { classId });
    const first = await adaSees.until((s) => s.students === 1, 'the first state');
    expect(first).toMatchObject({ step: 0, revealed: false, role: 'student', totalSteps: 3, histogram: null, recentNames: [] });
    expect(first.current?.note).toBe(''); // the note comes with the reveal
    await projector.until((s) => s.students === 1 && s.recentNames.includes('Ada'), 'the teacher seeing Ada');

    await teacher.live.advance.mutate({ classId, controlSecret, step: 1 });
    const step1 = await adaSees.until((s) => s.step === 1, 'step 2 reaching the student');
    // Students get the graph without the teacher's notes (they come with each reveal).
    const { doc: seen1 } = await student.live.doc.query({ classId });
    expect(seen1.nodes).toHaveLength(2);
    expect(seen1.lesson?.steps.map((s) => s.note)).toEqual(['', '', '']);
    expect(step1.current?.prediction).toMatchObject({ kind: 'number', prompt: expect.stringContaining('How many tokens') });

    // A late joiner lands on the current step.
    const bob = await student.live.join.mutate({ code, displayName: '' });
    const bobSees = follow(student, { classId });
    expect((await bobSees.until(() => true, 'the late joiner’s first state')).step).toBe(1);

    await student.live.answer.mutate({ classId, participantToken: ada.participantToken, step: 1, value: '4' });
    await student.live.answer.mutate({ classId, participantToken: bob.participantToken, step: 1, value: ' 5 ' });
    let seen = await projector.until((s) => s.histogram?.total === 2, 'two answers on the projector');
    expect(seen.histogram?.bins.map((b) => [b.value, b.count])).toEqual([['4', 1], ['5', 1]]);
    expect(last(bobSees.states)?.histogram).toBeNull(); // students see no answers before the reveal

    // Bob changes his mind: the second answer replaces the first.
    await student.live.answer.mutate({ classId, participantToken: bob.participantToken, step: 1, value: '4' });
    seen = await projector.until((s) => s.histogram?.total === 2 && s.histogram.bins.length === 1, 'the changed answer');
    expect(seen.histogram?.bins).toEqual([{ value: '4', label: '4', count: 2, correct: null }]);
    expect(await student.live.mine.query({ classId, participantToken: bob.participantToken })).toMatchObject({ answers: [{ step: 1, value: '4' }] });

    await teacher.live.reveal.mutate({ classId, controlSecret, step: 1, answer: 4 });
    const revealed = await adaSees.until((s) => s.revealed, 'the reveal');
    expect(revealed.answer).toEqual({ value: '4', label: '4' });
    expect(revealed.current?.note).toBe('NLP is two tokens.');
    expect(revealed.histogram?.bins).toEqual([{ value: '4', label: '4', count: 2, correct: true }]);
    const closed = await refused(student.live.answer.mutate({ classId, participantToken: ada.participantToken, step: 1, value: '5' }), 'PRECONDITION_FAILED');
    expect(closed).toMatch(/revealed/);

    await teacher.live.end.mutate({ classId, controlSecret });
    const ended = await adaSees.until((s) => s.status === 'ended', 'the end');
    expect(ended).toMatchObject({ endedReason: 'teacher', histogram: null, current: null, answer: null });
    await expect.poll(() => adaSees.completed).toBe(true);
    // The answers stay for the teacher, and no one else.
    const kept = await teacher.live.results.query({ classId, controlSecret });
    expect(kept.questions.find((q) => q.step === 1)).toMatchObject({ answer: '4', histogram: { total: 2 } });
    await refused(student.live.results.query({ classId, controlSecret: ada.participantToken }), 'FORBIDDEN');
    const after = follow(student, { classId });
    expect(await after.until((s) => s.status === 'ended', 'the ended state')).toMatchObject({ histogram: null, current: null });
    expect((await refused(student.live.join.mutate({ code }), 'NOT_FOUND'))).toContain(code);
    for (const f of [projector, adaSees, bobSees, after]) f.stop();
  });

  it('lets only the control secret advance, reveal or end', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    const { participantToken } = await student.live.join.mutate({ code });
    for (const forged of [participantToken, `${controlSecret.slice(0, -1)}A`, 'x', controlSecret.toUpperCase()]) {
      if (forged === controlSecret) continue;
      await refused(student.live.advance.mutate({ classId, controlSecret: forged, step: 1 }), 'FORBIDDEN');
      await refused(student.live.reveal.mutate({ classId, controlSecret: forged, step: 0 }), 'FORBIDDEN');
      await refused(student.live.end.mutate({ classId, controlSecret: forged }), 'FORBIDDEN');
      const sneaky = follow(student, { classId, controlSecret: forged });
      await expect(sneaky.until(() => false, 'never', 5000)).rejects.toBeInstanceOf(TRPCClientError);
      sneaky.stop();
    }
    // The class did not move.
    const watcher = follow(student, { classId });
    expect(await watcher.until(() => true, 'a state')).toMatchObject({ step: 0, status: 'live', revealed: false });
    watcher.stop();
    // A step outside the lesson, an answer to a step without a question, a forged participant token.
    await refused(teacher.live.advance.mutate({ classId, controlSecret, step: 3 }), 'BAD_REQUEST');
    await refused(student.live.answer.mutate({ classId, participantToken, step: 0, value: '1' }), 'BAD_REQUEST');
    await refused(student.live.answer.mutate({ classId, participantToken: 'forged-token', step: 0, value: '1' }), 'FORBIDDEN');
    // An answer to a step the class is not on, and answers that do not fit the question.
    await teacher.live.advance.mutate({ classId, controlSecret, step: 2 });
    await refused(student.live.answer.mutate({ classId, participantToken, step: 1, value: '4' }), 'PRECONDITION_FAILED');
    expect(await refused(student.live.answer.mutate({ classId, participantToken, step: 2, value: 'maybe' }), 'BAD_REQUEST')).toBe('Pick one of the choices shown.');
    await teacher.live.advance.mutate({ classId, controlSecret, step: 1 });
    expect(await refused(student.live.answer.mutate({ classId, participantToken, step: 1, value: 'four' }), 'BAD_REQUEST')).toMatch(/number/);
    // The teacher's reveal must carry an answer that fits the question.
    await refused(teacher.live.reveal.mutate({ classId, controlSecret, step: 1 }), 'BAD_REQUEST');
    await refused(teacher.live.reveal.mutate({ classId, controlSecret, step: 1, answer: 'lots' }), 'BAD_REQUEST');
    await teacher.live.end.mutate({ classId, controlSecret });
    await refused(teacher.live.advance.mutate({ classId, controlSecret, step: 0 }), 'PRECONDITION_FAILED');
  });

  it('refuses following a class that does not exist, and more streams than a class needs', async () => {
    const ghost = follow(student, { classId: 'A'.repeat(22) });
    await expect(ghost.until(() => false, 'never', 5000)).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    ghost.stop();
    await refused(student.live.doc.query({ classId: 'B'.repeat(22) }), 'NOT_FOUND');
    await refused(student.live.doc.query({ classId: '../../etc/passwd' }), 'BAD_REQUEST');

    const { classId, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    const cap = 2 * CONFIG.maxStudents + 20;
    const streams = Array.from({ length: cap }, () => follow(student, { classId }));
    await Promise.all(streams.map((s) => s.until(() => true, 'a state')));
    const extra = follow(student, { classId });
    await expect(extra.until(() => false, 'never', 5000)).rejects.toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
    for (const s of [...streams, extra]) s.stop();
    await teacher.live.end.mutate({ classId, controlSecret });
  });

  it('resumes after a dropped connection from the last event id', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    await student.live.join.mutate({ code });
    const watcher = follow(student, { classId });
    const first = await watcher.until(() => true, 'the first state');

    // Resuming from the event already seen sends nothing until the next change.
    const resumed = follow(student, { classId, lastEventId: String(first.seq) });
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.states).toHaveLength(0);
    await teacher.live.advance.mutate({ classId, controlSecret, step: 1 });
    expect((await resumed.until(() => true, 'the next change')).step).toBe(1);

    // A real drop: the server closes every connection; the client reconnects with lastEventId.
    await watcher.until((s) => s.step === 1, 'step 2 before the drop');
    const before = watcher.states.length;
    studentSide.dropConnections();
    // On one instance the teacher's kept-alive connection dropped too: advancing is idempotent, so retry once.
    await teacher.live.advance.mutate({ classId, controlSecret, step: 2 }).catch(() => teacher.live.advance.mutate({ classId, controlSecret, step: 2 }));
    const after = await watcher.until((s) => s.step === 2, 'step 3 after the drop', 15_000);
    expect(after.step).toBe(2);
    expect(watcher.states.slice(before).every((s) => s.step === 2)).toBe(true); // nothing seen twice
    expect(new Set(watcher.ids).size).toBe(watcher.ids.length);
    watcher.stop();
    resumed.stop();
    await teacher.live.end.mutate({ classId, controlSecret });
  });

  it('keeps every question’s answers, nameless, for the teacher’s secret only, and gives a reloaded teacher page the class back', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    const ada = await withCookie(studentSide).live.join.mutate({ code, displayName: 'Ada' });
    const bob = await withCookie(studentSide).live.join.mutate({ code, displayName: 'Bob' });
    await teacher.live.advance.mutate({ classId, controlSecret, step: 1 });
    await student.live.answer.mutate({ classId, participantToken: ada.participantToken, step: 1, value: '4' });
    await student.live.answer.mutate({ classId, participantToken: bob.participantToken, step: 1, value: '5' });
    await teacher.live.reveal.mutate({ classId, controlSecret, step: 1, answer: 4 });
    await teacher.live.advance.mutate({ classId, controlSecret, step: 2 });
    await student.live.answer.mutate({ classId, participantToken: ada.participantToken, step: 2, value: 'no' });

    // A reload: the teacher's page has only the secret; the server gives back the graph (notes too) and the step.
    const resumed = await teacher.live.resume.query({ classId, controlSecret });
    expect(resumed).toMatchObject({ code, status: 'live', step: 2, revealed: false });
    expect(resumed.doc.lesson?.steps[1]?.note).toBe('NLP is two tokens.');
    await teacher.live.reveal.mutate({ classId, controlSecret, step: 2, answer: 'no' });
    expect(await teacher.live.resume.query({ classId, controlSecret })).toMatchObject({ step: 2, revealed: true });

    await teacher.live.end.mutate({ classId, controlSecret });
    // Any instance answers the secret's holder.
    const kept = await student.live.results.query({ classId, controlSecret });
    expect(kept).toMatchObject({ title: 'Live lesson', code, status: 'ended', endedReason: 'teacher', students: 2 });
    expect(kept.questions.map((q) => [q.step, q.revealed, q.answer, q.answerLabel])).toEqual([
      [1, true, '4', '4'],
      [2, true, 'no', 'No'],
    ]);
    expect(kept.questions[0]?.histogram.bins.map((b) => [b.value, b.count, b.correct])).toEqual([
      ['4', 1, true],
      ['5', 1, false],
    ]);
    expect(kept.questions[1]?.histogram.bins.map((b) => [b.label, b.count, b.correct])).toEqual([
      ['Yes', 0, false],
      ['No', 1, true],
    ]);
    expect(JSON.stringify(kept)).not.toMatch(/Ada|Bob/); // counts, never names
    for (const forged of [ada.participantToken, `${controlSecret.slice(0, -1)}${controlSecret.endsWith('A') ? 'B' : 'A'}`, controlSecret.toUpperCase(), 'x']) {
      if (forged === controlSecret) continue;
      await refused(student.live.results.query({ classId, controlSecret: forged }), 'FORBIDDEN');
      await refused(student.live.resume.query({ classId, controlSecret: forged }), 'FORBIDDEN');
    }
    await refused(student.live.results.query({ classId: 'C'.repeat(22), controlSecret }), 'NOT_FOUND');
  });

  it('refuses a full class, wrong codes beyond the guessing budget, and bad names', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    const html = await student.live.join.mutate({ code, displayName: '  <img src=x onerror=alert(1)>\u0000 ' });
    expect(html.displayName).toBe('<img src=x onerror=alert(1)>'); // kept as text; pages show it as text
    await refused(student.live.join.mutate({ code, displayName: 'x'.repeat(41) }), 'BAD_REQUEST');
    await refused(student.live.join.mutate({ code, displayName: 'x'.repeat(401) }), 'BAD_REQUEST');
    expect((await student.live.join.mutate({ code, displayName: '👩‍🏫'.repeat(8) })).displayName).toBe('👩‍🏫'.repeat(8));
    await student.live.join.mutate({ code });
    expect(await refused(student.live.join.mutate({ code }), 'PRECONDITION_FAILED')).toBe(
      'This class is full: it has room for 3 students. Ask your teacher to start another one.',
    );
    await teacher.live.end.mutate({ classId, controlSecret });

    const bad = ['', 'ABCDE', 'ABCDEFG', 'O0I1L5', '<script>', 'é'.repeat(6), 'A'.repeat(41)];
    for (const typed of bad.slice(0, 4)) expect(await refused(student.live.join.mutate({ code: typed }), 'NOT_FOUND')).toMatch(/6 letters and digits/);
    await refused(student.live.join.mutate({ code: 'ZZZZZZ' }), 'NOT_FOUND');
    expect(await refused(student.live.join.mutate({ code: 'ZZZZZZ' }), 'TOO_MANY_REQUESTS')).toMatch(/Too many wrong join codes: try again in \d+ s\./);
    await refused(student.live.join.mutate({ code: bad[6]! }), 'BAD_REQUEST');
  });

  it('ends a class that stayed idle, and tells its followers', async () => {
    const { classId, code } = await teacher.live.start.mutate({ doc: lessonDoc() });
    await student.live.join.mutate({ code }).catch(() => undefined);
    const watcher = follow(student, { classId });
    await watcher.until(() => true, 'a state');
    const db = opened[0]!.db;
    await db.execute(sql`UPDATE live_class SET last_activity_at = now() - interval '2 hours' WHERE id = ${classId}`);
    // Any go-live sweeps idle classes (and a timer does so every minute while classes are followed).
    const other = await teacher.live.start.mutate({ doc: lessonDoc() });
    expect((await watcher.until((s) => s.status === 'ended', 'the idle end')).endedReason).toBe('idle');
    await teacher.live.end.mutate({ classId: other.classId, controlSecret: other.controlSecret });
    watcher.stop();
  });

  it('counts wrong join codes per client on every instance, refuses even the right code once they are spent, and forgets them after a minute', async () => {
    const { classId, code, controlSecret } = await teacher.live.start.mutate({ doc: lessonDoc() });
    const wrong = code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    const cookie = `tl_client=${issueClientCookieValue()}`;
    const here = withCookie(teacherSide, cookie);
    const there = withCookie(studentSide, cookie);
    for (let i = 0; i < CONFIG.joinGuessesPerMinute; i++) await refused((i % 2 ? there : here).live.join.mutate({ code: wrong }), 'NOT_FOUND');
    for (const guesser of [here, there]) {
      expect(await refused(guesser.live.join.mutate({ code }), 'TOO_MANY_REQUESTS')).toMatch(/^Too many wrong join codes: try again in \d+ s\.$/);
    }
    expect((await withCookie(studentSide).live.join.mutate({ code })).classId).toBe(classId); // another client is not held back

    // A burst of parallel guesses from one client, on both instances, is taken one at a time.
    const burst = `tl_client=${issueClientCookieValue()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withCookie(i % 2 ? studentSide : teacherSide, burst)
          .live.join.mutate({ code: wrong })
          .then(
            () => 'joined',
            (e: { data?: { code?: string } }) => e.data?.code,
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'NOT_FOUND')).toHaveLength(CONFIG.joinGuessesPerMinute);
    expect(outcomes.filter((o) => o === 'TOO_MANY_REQUESTS')).toHaveLength(20 - CONFIG.joinGuessesPerMinute);

    // A minute later the client may try again; the hub's sweep (at any go-live) forgets finished windows.
    const db = opened[0]!.db;
    await db.execute(sql`UPDATE live_join_guess SET window_start = now() - interval '61 seconds'`);
    expect((await there.live.join.mutate({ code })).classId).toBe(classId);
    const other = await teacher.live.start.mutate({ doc: lessonDoc() });
    const left = () => db.select({ n: sql<number>`count(*)::int` }).from(liveJoinGuessTable).then((r) => r[0]?.n);
    await expect.poll(left).toBe(0);
    for (const c of [{ classId, controlSecret }, other]) await teacher.live.end.mutate({ classId: c.classId, controlSecret: c.controlSecret });
  });
});
