/**
 * BPE training on a corpus that arrives as bytes: a file read as a stream in the browser
 * (File.stream()), a corpus file on the server (fs.createReadStream), any size.
 *
 *   const file: File = input.files[0];
 *   const bpe = await trainBpeFromStream(file.stream(), { vocabSize: 16000 }, { totalBytes: file.size });
 *   // the same merges as trainBpe(await file.text(), { vocabSize: 16000 })
 *
 * Bytes are decoded with one streaming TextDecoder (a UTF-8 character split between two chunks
 * stays whole; invalid bytes become U+FFFD, as `file.text()` and Node's 'utf8' do; a leading BOM
 * is kept as U+FEFF, as readFileSync(…, 'utf8') keeps it) and counted chunk by chunk
 * (count-words.ts). Memory: the unique-word table plus one chunk; the corpus is never held.
 *
 * JSON Lines: with `jsonlField`, each line is parsed and that field's string is the text, records
 * joined by '\n' exactly as nodes/text/jsonl.ts's extractJsonlField joins them. A line that is
 * not JSON, or lacks the field, is skipped and counted in `skippedLines`.
 *
 * Not handled here: where the bytes come from (the caller opens the stream and checks limits),
 * other encodings than UTF-8.
 */
import { WordCounter } from './count-words';
import { checkVocabSize, trainFromWords } from './train-bpe';
import { TrainingProgress } from './training-progress';
import type { LongRunHooks, TrainBpeParams, TrainedBpe } from './types';

export interface StreamTrainingOptions extends LongRunHooks {
  /** Size of the whole stream, when known, for "x of y read" and the time left. */
  totalBytes?: number;
  /** Treat the bytes as JSON Lines and train on this top-level string field. */
  jsonlField?: string;
}

export interface StreamTrainedBpe extends TrainedBpe {
  bytesRead: number;
  /** JSON Lines only: non-empty lines skipped (not JSON, not an object, or no string field). */
  skippedLines: number;
}

/** Reads any byte source chunk by chunk. */
async function* chunksOf(source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in source) {
    yield* source as AsyncIterable<Uint8Array>;
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Turns JSON Lines text, chunk by chunk, into the chosen field's text (records joined by '\n'). */
class JsonlFieldReader {
  private carry = '';
  private records = 0;
  skipped = 0;
  constructor(private readonly field: string) {}

  /** The text of the complete lines in `chunk` (the incomplete last line waits). */
  push(chunk: string, atEnd = false): string {
    const text = this.carry + chunk;
    const lastNewline = atEnd ? text.length : text.lastIndexOf('\n');
    if (lastNewline < 0) {
      this.carry = text;
      return '';
    }
    this.carry = atEnd ? '' : text.slice(lastNewline + 1);
    let out = '';
    for (const raw of text.slice(0, lastNewline).split('\n')) {
      const line = raw.trim();
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        this.skipped++;
        continue;
      }
      const fieldValue = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[this.field] : undefined;
      if (typeof fieldValue !== 'string') {
        this.skipped++;
        continue;
      }
      out += (this.records++ === 0 ? '' : '\n') + fieldValue;
    }
    return out;
  }
}

export async function trainBpeFromStream(
  source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  params: TrainBpeParams,
  options: StreamTrainingOptions = {},
): Promise<StreamTrainedBpe> {
  checkVocabSize(params.vocabSize);
  const tracker = new TrainingProgress(options, options.totalBytes ?? null, 'bytes');
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const counter = new WordCounter(params.pattern ?? 'gpt2');
  const jsonl = options.jsonlField === undefined ? null : new JsonlFieldReader(options.jsonlField);
  let bytesRead = 0;
  for await (const chunk of chunksOf(source)) {
    bytesRead += chunk.byteLength;
    const text = decoder.decode(chunk, { stream: true });
    counter.add(jsonl ? jsonl.push(text) : text);
    tracker.counted(bytesRead, counter.totalWords);
    await options.checkpoint?.();
  }
  const rest = decoder.decode();
  counter.add(jsonl ? jsonl.push(rest, true) : rest);
  const trained = await trainFromWords(counter.finish(), params, options, tracker);
  return { ...trained, bytesRead, skippedLines: jsonl?.skipped ?? 0 };
}
