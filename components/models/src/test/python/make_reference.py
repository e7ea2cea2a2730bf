#!/usr/bin/python3
"""Writes the reference checkpoints and logits that tether's Java models are tested against.

Independent of tether: GPT-2 and Llama are written here from the published architectures
(Radford et al. 2019 / the GPT-2 code release; Touvron et al. 2023 and Meta's llama3
`apply_scaling`), in plain torch, and the files are written with a hand-written safetensors
writer (8-byte little-endian header length, JSON header, raw little-endian bytes).

Run with Debian's torch (no transformers, no safetensors package needed):

    /usr/bin/python3 components/models/src/test/python/make_reference.py

Output (committed) under components/models/src/test/resources/reference/:
  gpt2-tiny/    Hub-style GPT-2: names without the `transformer.` prefix, `h.N.attn.bias`
                causal-mask buffers present, tied lm_head, F32, a single model.safetensors,
                plus tether's value_head.safetensors.
  llama-tiny/   Llama with grouped-query attention (4 heads, 2 kv heads), untied lm_head,
                rope_theta 5000, linear rope scaling (factor 2), BF16 weights in two shards
                with model.safetensors.index.json.
  expected-gpt2-tiny.safetensors, expected-llama-tiny.safetensors:
                input_ids/attention_mask (rows 1 and 2 left-padded), logits, final hidden
                state, teacher-forced log-probs and entropy of the last tokens at temperature
                0.7, (GPT-2) value-head outputs, (Llama) llama3-scaled inverse frequencies.
"""
import json
import math
import os
import struct

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "reference"))

# Fixed inputs: 3 rows of 8 tokens; row 1 has 2 left pads, row 2 has 3.
SEQ = 8
PADS = [0, 2, 3]
QUERY_LEN = 4  # teacher-forced split: the first 4 columns are the query, the last 4 the response
TEMPERATURE = 0.7

# ---------------------------------------------------------------- safetensors writer

_DT = {torch.float32: ("F32", np.float32), torch.int32: ("I32", np.int32),
       torch.int64: ("I64", np.int64)}


def tensor_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        return "BF16", t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.float16:
        return "F16", t.numpy().astype("<f2").tobytes()
    name, np_type = _DT[t.dtype]
    return name, t.numpy().astype(np.dtype(np_type).newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        dtype, raw = tensor_bytes(t)
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = metadata or {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- tokenizers


def word_level_tokenizer(specials, words, unk, bos=None):
    """A tokenizer.json for a WordLevel model split on whitespace."""
    vocab = {}
    for tok in specials + words:
        vocab[tok] = len(vocab)
    added = [{"id": vocab[s], "content": s, "single_word": False, "lstrip": False,
              "rstrip": False, "normalized": False, "special": True} for s in specials]
    post = None
    if bos is not None:
        post = {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": bos, "type_id": 0}},
                           {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": bos, "type_id": 0}},
                         {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {bos: {"id": bos, "ids": [vocab[bos]], "tokens": [bos]}}}
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": None, "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": post, "decoder": None,
            "model": {"type": "WordLevel", "vocab": vocab, "unk_token": unk}}, vocab


WORDS = ("the a cat dog sat on mat ran to park and saw bird tree big small red blue green "
         "happy sad sun moon star sky sea fish swim jump run walk talk eat drink sleep "
         "house car road city town river hill rain snow wind fire water earth day night "
         "good bad old new hot cold up down in out").split()

# ---------------------------------------------------------------- shared pieces


def inputs(vocab_size, pad_id, gen):
    ids = torch.randint(3, vocab_size, (len(PADS), SEQ), generator=gen)
    mask = torch.ones(len(PADS), SEQ, dtype=torch.int64)
    for b, p in enumerate(PADS):
        ids[b, :p] = pad_id
        mask[b, :p] = 0
    return ids, mask


def positions(mask):
    # Left padding: the first real token is position 0, as Hugging Face's generate does.
    return (mask.cumsum(-1) - 1).clamp(min=0)


def attention_allowed(mask):
    t = mask.shape[1]
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    return causal[None, None, :, :] & mask.bool()[:, None, None, :]  # [B,1,T,T]


def attend(q, k, v, allowed):
    # q,k,v: [B,H,T,hd]
    att = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    att = att.masked_fill(~allowed, torch.finfo(att.dtype).min)
    return att.softmax(-1) @ v


def split_heads(x, n):
    b, t, d = x.shape
    return x.view(b, t, n, d // n).transpose(1, 2)


def merge_heads(x):
    b, h, t, hd = x.shape
    return x.transpose(1, 2).reshape(b, t, h * hd)


def response_scores(logits, ids):
    # logits[:, j] predicts ids[:, j + 1]; the response is ids[:, QUERY_LEN:].
    pred = logits[:, QUERY_LEN - 1:-1, :] / TEMPERATURE
    logp = pred.log_softmax(-1)
    lp = logp.gather(-1, ids[:, QUERY_LEN:, None]).squeeze(-1)
    ent = -(logp.exp() * logp).sum(-1)
    return lp, ent


# ---------------------------------------------------------------- GPT-2


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3))))


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = (x - mu).pow(2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w + b


def gpt2_forward(w, cfg, ids, mask):
    d, n_head, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    h = w["wte.weight"][ids] + w["wpe.weight"][positions(mask)]
    allowed = attention_allowed(mask)
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        x = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        # Conv1D: weight is [in, out], y = x W + b.
        qkv = x @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (split_heads(t, n_head) for t in qkv.split(d, dim=-1))
        y = merge_heads(attend(q, k, v, allowed))
        h = h + y @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        x = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        x = gelu_new(x @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        h = h + x @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    h = layer_norm(h, w["ln_f.weight"], w["ln_f.bias"], eps)
    return h @ w["wte.weight"].T, h  # tied head


def make_gpt2(gen):
    specials = ["<|endoftext|>", "<unk>"]
    tok, vocab = word_level_tokenizer(specials, WORDS, "<unk>")
    cfg = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"],
           "vocab_size": 64, "n_positions": 32, "n_ctx": 32, "n_embd": 32, "n_layer": 2,
           "n_head": 4, "n_inner": None, "activation_function": "gelu_new",
           "layer_norm_epsilon": 1e-5, "tie_word_embeddings": True,
           "bos_token_id": 0, "eos_token_id": 0, "resid_pdrop": 0.0, "embd_pdrop": 0.0,
           "attn_pdrop": 0.0, "initializer_range": 0.02, "torch_dtype": "float32"}
    assert len(vocab) <= cfg["vocab_size"]
    d, v, inner = cfg["n_embd"], cfg["vocab_size"], 4 * cfg["n_embd"]

    def rnd(*shape, std=0.3):
        return torch.randn(*shape, generator=gen) * std

    w = {"wte.weight": rnd(v, d, std=0.5), "wpe.weight": rnd(cfg["n_positions"], d, std=0.2)}
    for i in range(cfg["n_layer"]):
        p = f"h.{i}."
        w[p + "ln_1.weight"] = 1 + rnd(d, std=0.1)
        w[p + "ln_1.bias"] = rnd(d, std=0.1)
        w[p + "attn.c_attn.weight"] = rnd(d, 3 * d)
        w[p + "attn.c_attn.bias"] = rnd(3 * d, std=0.1)
        w[p + "attn.c_proj.weight"] = rnd(d, d)
        w[p + "attn.c_proj.bias"] = rnd(d, std=0.1)
        w[p + "ln_2.weight"] = 1 + rnd(d, std=0.1)
        w[p + "ln_2.bias"] = rnd(d, std=0.1)
        w[p + "mlp.c_fc.weight"] = rnd(d, inner)
        w[p + "mlp.c_fc.bias"] = rnd(inner, std=0.1)
        w[p + "mlp.c_proj.weight"] = rnd(inner, d, std=0.15)
        w[p + "mlp.c_proj.bias"] = rnd(d, std=0.1)
    w["ln_f.weight"] = 1 + rnd(d, std=0.1)
    w["ln_f.bias"] = rnd(d, std=0.1)

    folder = os.path.join(OUT, "gpt2-tiny")
    os.makedirs(folder, exist_ok=True)
    stored = dict(w)
    n = cfg["n_positions"]
    for i in range(cfg["n_layer"]):
        # Old Hub checkpoints carry the causal-mask buffer; a loader must skip it.
        stored[f"h.{i}.attn.bias"] = torch.ones(n, n).tril().view(1, 1, n, n)
    write_safetensors(os.path.join(folder, "model.safetensors"), stored)
    write_json(os.path.join(folder, "config.json"), cfg)
    write_json(os.path.join(folder, "generation_config.json"),
               {"bos_token_id": 0, "eos_token_id": 0, "_from_model_config": True})
    write_json(os.path.join(folder, "tokenizer.json"), tok)
    v_head = {"v_head.summary.weight": rnd(1, d), "v_head.summary.bias": rnd(1, std=0.1)}
    write_safetensors(os.path.join(folder, "value_head.safetensors"), v_head)

    ids, mask = inputs(len(vocab), 0, gen)
    with torch.no_grad():
        logits, hidden = gpt2_forward(w, cfg, ids, mask)
        values = (hidden @ v_head["v_head.summary.weight"].T).squeeze(-1) + \
            v_head["v_head.summary.bias"]
        lp, ent = response_scores(logits, ids)
    text = " ".join(WORDS[:5])
    write_safetensors(os.path.join(OUT, "expected-gpt2-tiny.safetensors"), {
        "input_ids": ids.int(), "attention_mask": mask.int(), "logits": logits,
        "hidden": hidden, "values": values, "response_logprobs": lp, "response_entropy": ent,
        "text_ids": torch.tensor([vocab[t] for t in text.split()], dtype=torch.int32),
    }, {"format": "pt", "query_len": str(QUERY_LEN), "temperature": str(TEMPERATURE),
        "text": text})


# ---------------------------------------------------------------- Llama


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope_inv_freq(head_dim, theta):
    return 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))


def llama3_scaled(inv_freq, factor, low_freq_factor, high_freq_factor, old_context_len):
    # Meta's apply_scaling (llama3.1 reference code), element by element in float64.
    low_freq_wavelen = old_context_len / low_freq_factor
    high_freq_wavelen = old_context_len / high_freq_factor
    out = []
    for freq in inv_freq.tolist():
        wavelen = 2 * math.pi / freq
        if wavelen < high_freq_wavelen:
            out.append(freq)
        elif wavelen > low_freq_wavelen:
            out.append(freq / factor)
        else:
            smooth = (old_context_len / wavelen - low_freq_factor) / \
                (high_freq_factor - low_freq_factor)
            out.append((1 - smooth) * freq / factor + smooth * freq)
    return torch.tensor(out, dtype=torch.float64)


def apply_rope(x, pos, inv_freq):
    # x: [B,H,T,hd]; rotate pairs (i, i + hd/2), the Hugging Face / Meta-HF layout.
    ang = pos.double()[:, :, None] * inv_freq[None, None, :]  # [B,T,hd/2]
    cos, sin = ang.cos().float()[:, None], ang.sin().float()[:, None]
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


def llama_forward(w, cfg, ids, mask):
    n_head, n_kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg["hidden_size"] // n_head
    eps = cfg["rms_norm_eps"]
    inv_freq = rope_inv_freq(hd, cfg["rope_theta"])
    if cfg.get("rope_scaling") and cfg["rope_scaling"]["type"] == "linear":
        inv_freq = inv_freq / cfg["rope_scaling"]["factor"]  # positions divided by factor
    pos = positions(mask)
    allowed = attention_allowed(mask)
    h = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        x = rms_norm(h, w[p + "input_layernorm.weight"], eps)
        q = split_heads(x @ w[p + "self_attn.q_proj.weight"].T, n_head)
        k = split_heads(x @ w[p + "self_attn.k_proj.weight"].T, n_kv)
        v = split_heads(x @ w[p + "self_attn.v_proj.weight"].T, n_kv)
        q, k = apply_rope(q, pos, inv_freq), apply_rope(k, pos, inv_freq)
        # Grouped-query attention: query head j reads kv head j // (n_head / n_kv).
        rep = n_head // n_kv
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        y = merge_heads(attend(q, k, v, allowed))
        h = h + y @ w[p + "self_attn.o_proj.weight"].T
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], eps)
        gate = x @ w[p + "mlp.gate_proj.weight"].T
        up = x @ w[p + "mlp.up_proj.weight"].T
        h = h + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    h = rms_norm(h, w["model.norm.weight"], eps)
    return h @ w["lm_head.weight"].T, h


def make_llama(gen):
    specials = ["<unk>", "<s>", "</s>"]
    tok, vocab = word_level_tokenizer(specials, WORDS, "<unk>", bos="<s>")
    cfg = {"model_type": "llama", "architectures": ["LlamaForCausalLM"],
           "vocab_size": 80, "hidden_size": 32, "intermediate_size": 48,
           "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
           "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
           "rope_theta": 5000.0, "rope_scaling": {"type": "linear", "factor": 2.0},
           "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
           "attention_bias": False, "mlp_bias": False, "torch_dtype": "bfloat16"}
    d, v, inter = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    hd = d // cfg["num_attention_heads"]
    kv = cfg["num_key_value_heads"] * hd

    def rnd(*shape, std=0.3):
        # Stored as BF16; the reference runs on the BF16 values up-cast to F32.
        return (torch.randn(*shape, generator=gen) * std).bfloat16()

    w = {"model.embed_tokens.weight": rnd(v, d, std=0.7)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = (1 + torch.randn(d, generator=gen) * 0.1).bfloat16()
        w[p + "self_attn.q_proj.weight"] = rnd(d, d, std=0.4)
        w[p + "self_attn.k_proj.weight"] = rnd(kv, d, std=0.4)
        w[p + "self_attn.v_proj.weight"] = rnd(kv, d)
        w[p + "self_attn.o_proj.weight"] = rnd(d, d)
        w[p + "post_attention_layernorm.weight"] = \
            (1 + torch.randn(d, generator=gen) * 0.1).bfloat16()
        w[p + "mlp.gate_proj.weight"] = rnd(inter, d)
        w[p + "mlp.up_proj.weight"] = rnd(inter, d)
        w[p + "mlp.down_proj.weight"] = rnd(d, inter, std=0.2)
    w["model.norm.weight"] = (1 + torch.randn(d, generator=gen) * 0.1).bfloat16()
    w["lm_head.weight"] = rnd(v, d, std=0.3)

    folder = os.path.join(OUT, "llama-tiny")
    os.makedirs(folder, exist_ok=True)
    names = list(w)
    shards = [names[: len(names) // 2], names[len(names) // 2:]]
    weight_map = {}
    for s, part in enumerate(shards):
        fname = f"model-{s + 1:05d}-of-{len(shards):05d}.safetensors"
        write_safetensors(os.path.join(folder, fname), {n: w[n] for n in part})
        weight_map.update({n: fname for n in part})
    total = sum(t.numel() * 2 for t in w.values())
    write_json(os.path.join(folder, "model.safetensors.index.json"),
               {"metadata": {"total_size": total}, "weight_map": weight_map})
    write_json(os.path.join(folder, "config.json"), cfg)
    write_json(os.path.join(folder, "generation_config.json"),
               {"bos_token_id": 1, "eos_token_id": [2], "do_sample": True,
                "temperature": 0.9, "top_p": 0.95, "_from_model_config": False})
    write_json(os.path.join(folder, "tokenizer.json"), tok)

    w32 = {n: t.float() for n, t in w.items()}
    ids, mask = inputs(len(vocab), 0, gen)
    with torch.no_grad():
        logits, hidden = llama_forward(w32, cfg, ids, mask)
        lp, ent = response_scores(logits, ids)
    # llama3 scaling, checked on its own: factor 8, low 0.25, high 2, original context 16
    # put the 4 frequencies of head_dim 8 / theta 5000 into all three branches.
    llama3 = llama3_scaled(rope_inv_freq(hd, cfg["rope_theta"]), 8.0, 0.25, 2.0, 16)
    text = " ".join(WORDS[:5])
    write_safetensors(os.path.join(OUT, "expected-llama-tiny.safetensors"), {
        "input_ids": ids.int(), "attention_mask": mask.int(), "logits": logits,
        "hidden": hidden, "response_logprobs": lp, "response_entropy": ent,
        "llama3_inv_freq": llama3.float(),
        "text_ids": torch.tensor([vocab["<s>"]] + [vocab[t] for t in text.split()],
                                 dtype=torch.int32),
    }, {"format": "pt", "query_len": str(QUERY_LEN), "temperature": str(TEMPERATURE),
        "text": text})


if __name__ == "__main__":
    torch.manual_seed(0)
    make_gpt2(torch.Generator().manual_seed(1234))
    make_llama(torch.Generator().manual_seed(5678))
    print("wrote", OUT)
