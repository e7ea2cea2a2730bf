#!/usr/bin/python3
"""Reference values for tether's RL core, computed independently of the Java code.

Run with Debian's torch:  /usr/bin/python3 components/core/src/test/python/make_rl_reference.py
It writes components/core/src/test/resources/reference/rl_reference.json, which the Java tests
read (the tests need no Python).

The formulas follow TRL's PPO trainer (trl/trainer/ppo_trainer.py, trl/trainer/utils.py) and the
papers, written here in TRL's own style on purpose: the backward GAE loop runs over zero-filled
padding instead of tether's masked recursion, the score goes to the last token by an index loop
instead of a one-hot, and gradients come from torch.autograd. Where tether deliberately differs
from TRL (whitening without the mean shift, approx_kl as k3), the tether convention is computed
here and the difference is named.
"""
import json
import os

import torch

torch.manual_seed(20261125)
B, T, V = 4, 6, 5
LENGTHS = [6, 3, 1, 0]  # a full row, a short row, a length-1 response, an all-masked row
mask = torch.zeros(B, T)
for i, n in enumerate(LENGTHS):
    mask[i, :n] = 1.0


def rnd(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).float()


def pad0(x):
    return x * mask


logprobs = pad0(-torch.rand(B, T) * 3 - 0.05)
ref_logprobs = pad0(logprobs + rnd(B, T, scale=0.5))
old_logprobs = logprobs.clone()
new_logprobs = pad0(old_logprobs + rnd(B, T, scale=0.3))
values = pad0(rnd(B, T))
new_values = pad0(values + rnd(B, T, scale=0.4))
scores = rnd(B, scale=2.0)
has_eos = torch.tensor([True, False, True, False])
logits = rnd(B, T, V, scale=2.0)


def masked_mean(x, m, axis=None):
    if axis is None:
        return (x * m).sum() / m.sum().clamp(min=1)
    return (x * m).sum(axis) / m.sum(axis).clamp(min=1)


def masked_var(x, m):
    # TRL: unbiased, bessel = n / (n - 1)
    mean = masked_mean(x, m)
    var = masked_mean((x - mean) ** 2, m)
    n = m.sum()
    return var * (n / (n - 1)) if n > 1 else var


logr = ref_logprobs - logprobs
k1 = -logr
k2 = 0.5 * logr ** 2
k3 = (torch.exp(logr) - 1) - logr
kabs = logr.abs()


def kl_stats(kl):
    return {"kl_seq": float((kl * mask).sum(1).mean()), "kl_token": float(masked_mean(kl, mask))}


def token_rewards(score, kl, beta):
    r = -beta * kl * mask
    for i in range(B):
        n = int(mask[i].sum())
        if n > 0:
            r[i, n - 1] += score[i]
    return r


def shape_scores(score, eos, penalty, clip):
    s = score.clamp(-clip, clip) if clip != float("inf") else score.clone()
    s[~eos] -= penalty
    return s


def gae_trl(rewards, vals, gamma, lam):
    rewards = rewards * mask
    vals = vals * mask
    lastgaelam = 0
    adv_rev = []
    for t in reversed(range(T)):
        nextvalues = vals[:, t + 1] if t < T - 1 else 0.0
        delta = rewards[:, t] + gamma * nextvalues - vals[:, t]
        lastgaelam = delta + gamma * lam * lastgaelam
        adv_rev.append(lastgaelam)
    adv = torch.stack(adv_rev[::-1], dim=1)
    returns = adv + vals
    return adv * mask, returns * mask


def whiten(x, shift_mean):
    mean, var = masked_mean(x, mask), masked_var(x, mask)
    if shift_mean:
        return (x - mean) * torch.rsqrt(var + 1e-8) * mask
    # tether: divide by the std only (TRL's shift_mean=False adds the unscaled mean back)
    return x * torch.rsqrt(var + 1e-8) * mask


def policy_loss(lp, old, adv, eps_low, eps_high, dual_clip, agg):
    ratio = torch.exp(lp - old)
    pg1 = -adv * ratio
    pg2 = -adv * torch.clamp(ratio, 1 - eps_low, 1 + eps_high)
    per_tok = torch.max(pg1, pg2)
    if dual_clip is not None:
        per_tok = torch.where(adv < 0, torch.min(per_tok, -adv * dual_clip), per_tok)
    loss = masked_mean(per_tok, mask) if agg == "token-mean" else masked_mean(per_tok, mask, 1).mean()
    clipfrac = masked_mean((pg2 > pg1).float(), mask)
    approx_kl = masked_mean((ratio - 1) - (lp - old), mask)
    return loss, float(clipfrac), float(approx_kl)


def value_loss(v, v_old, ret, clip):
    v_clip = v_old + torch.clamp(v - v_old, -clip, clip)
    l1 = (v - ret) ** 2
    l2 = (v_clip - ret) ** 2
    return float(0.5 * masked_mean(torch.max(l1, l2), mask)), float(masked_mean((l2 > l1).float(), mask))


def grad_of(fn, x):
    x = x.clone().requires_grad_(True)
    fn(x).backward()
    return x.grad


def t(x):
    return x.tolist()


out = {"inputs": {
    "mask": t(mask), "logprobs": t(logprobs), "ref_logprobs": t(ref_logprobs),
    "new_logprobs": t(new_logprobs), "values": t(values), "new_values": t(new_values),
    "scores": t(scores), "has_eos": t(has_eos.float()), "logits": t(logits)}}

out["kl"] = {"k1": t(k1), "k2": t(k2), "k3": t(k3), "abs": t(kabs),
             "stats_k1": kl_stats(k1), "stats_k3": kl_stats(k3), "stats_abs": kl_stats(kabs)}

shaped = shape_scores(scores, has_eos, 1.0, 1.5)
rewards = token_rewards(shaped, k1, 0.1)
out["reward"] = {"shaped_scores": t(shaped), "beta": 0.1, "token_rewards": t(rewards),
                 "token_rewards_beta0": t(token_rewards(scores, k1, 0.0))}

adv1, ret1 = gae_trl(rewards, values, 1.0, 0.95)
adv2, ret2 = gae_trl(rewards, values, 0.99, 0.9)
out["gae"] = {"g1_l095": {"advantages": t(adv1), "returns": t(ret1)},
              "g099_l09": {"advantages": t(adv2), "returns": t(ret2)},
              "whiten_shift": t(whiten(adv1, True)), "whiten_scale_only": t(whiten(adv1, False))}

wadv = whiten(adv1, True)
pl = {}
for name, args in {"plain": (0.2, 0.2, None, "token-mean"), "dual": (0.2, 0.2, 3.0, "token-mean"),
                   "clip_higher": (0.2, 0.28, None, "token-mean"),
                   "seq_mean": (0.2, 0.2, None, "seq-mean-token-mean")}.items():
    loss, cf, akl = policy_loss(new_logprobs, old_logprobs, wadv, *args)
    g = grad_of(lambda x: policy_loss(x, old_logprobs, wadv, *args)[0], new_logprobs)
    pl[name] = {"loss": float(loss), "clipfrac": cf, "approx_kl": akl, "grad": t(g)}
# a big step so the dual clip bites: ratio far above 1 + eps on negative advantages
big = pad0(old_logprobs + 2.0)
loss, cf, akl = policy_loss(big, old_logprobs, wadv, 0.2, 0.2, 3.0, "token-mean")
loss_nd, _, _ = policy_loss(big, old_logprobs, wadv, 0.2, 0.2, None, "token-mean")
pl["big_step"] = {"new_logprobs": t(big), "loss_dual": float(loss), "loss_no_dual": float(loss_nd), "clipfrac": cf}
out["policy_loss"] = pl

vl, vcf = value_loss(new_values, values, ret1, 0.2)
out["value_loss"] = {"loss": vl, "clipfrac": vcf, "loss_noclip": float(0.5 * masked_mean((new_values - ret1) ** 2, mask))}

logp_v = torch.log_softmax(logits, -1)
out["entropy"] = t(-(logp_v.exp() * logp_v).sum(-1))
ev = 1 - masked_var(ret1 - values, mask) / masked_var(ret1, mask)
out["explained_variance"] = float(ev)

out["kl_loss"] = {
    "k2": float(masked_mean(k2, mask)),
    "k3": float(masked_mean(k3, mask)),
    "grad_k2": t(grad_of(lambda x: masked_mean(0.5 * (ref_logprobs - x) ** 2, mask), logprobs)),
    "grad_k3_plain": t(grad_of(lambda x: masked_mean(torch.exp(ref_logprobs - x) - 1 - (ref_logprobs - x), mask), logprobs)),
}

# Ziegler / TRL AdaptiveKLController in float64: beta *= 1 + clip(kl/target - 1, -.2, .2) * n / horizon
beta, target, horizon, n = 0.2, 6.0, 10000.0, 256
kls = [3.0, 6.0, 9.0, 12.0, 7.2, 6.0, 100.0, 0.0]
betas = []
for kl in kls:
    err = min(max(kl / target - 1, -0.2), 0.2)
    beta *= 1 + err * n / horizon
    betas.append(beta)
out["adaptive_beta"] = {"beta0": 0.2, "target_kl_seq": target, "horizon": horizon, "n": n, "kl_seq": kls, "betas": betas}

path = os.path.join(os.path.dirname(__file__), "..", "resources", "reference", "rl_reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
print("wrote", os.path.normpath(path))
