#!/usr/bin/env python3
"""How much a slow candidate moves the clients' p99, with a confidence interval (proxy-bench.sh, section 6).

    slow_effect.py HIST_DIR[:HIST_DIR...] PROMPT_KEY SLOW_KEY ROUNDS TARGET_PCT

HIST_DIR holds one wrk latency histogram per run ("microseconds count" lines), named KEY.PROXY.rROUND: each
round ran every proxy of both sides once. The effect is the change of the p99 of all requests of all rounds,
slow side against prompt side. One round's p99 rests on a few hundred requests and moves by tens of per cent
between rounds here, so a single figure cannot tell +3 % from +10 %: the interval comes from a bootstrap over
the rounds (rounds drawn with replacement, both sides of a round kept together, since they shared its moment
of the machine). The verdict against the target says "met" or "missed" only when the whole interval is on one
side of it. Further HIST_DIRs after the first (earlier runs kept with KEEP_WORK=1, at the same rate and
with the same code; each brings as many rounds as it holds) are pooled with it into one series of rounds: more
rounds, a narrower interval. Pool every such run, not the ones whose figures suit.

Prints one line: the effect, the 95 % interval, each round's paired change and the verdict; then, when
proxy-bench.sh left HIST_DIR/../steal (one file per run holding the per cent of the proxies' CPU time the
hypervisor stole during it), how much each side lost and the effect over the rounds in which no run
lost more than QUIET_STEAL_PCT, with its own interval. That last figure is a reading aid, not the verdict: it keeps
fewer rounds.
"""
import glob
import os
import random
import re
import sys

from histogram import merge, percentiles, read

RESAMPLES = 2000
SEED = 1  # the same histograms give the same interval
QUIET_STEAL_PCT = 1.0  # on the machine of 2026-12-03 runs with more lost several ms at p99, whatever the proxy


def runs(directory, key):
    """(round, path) of every per-run file KEY.PROXY.rROUND in the directory."""
    pattern = re.compile(re.escape(key) + r"\.[^.]+\.r(\d+)$")
    for path in glob.glob(os.path.join(directory, glob.escape(key) + ".*.r*")):
        m = pattern.search(os.path.basename(path))
        if m:
            yield int(m.group(1)), path


def rounds_of(hist_dir, key, rounds):
    """Per round, the histogram of every proxy of the side merged (the runs of one round)."""
    per_round = [{} for _ in range(rounds)]
    for r, path in runs(hist_dir, key):
        if not 1 <= r <= rounds:
            sys.exit("%s: round %d outside 1..%d" % (path, r, rounds))
        merge(per_round[r - 1], read(path))
    empty = [i + 1 for i, h in enumerate(per_round) if not h]
    if empty:
        sys.exit("no histogram for %s in round(s) %s under %s" % (key, empty, hist_dir))
    return per_round


def steal_of(steal_dir, key, rounds):
    """Per round, the per cent stolen in each run of the side (empty lists when the files are not there)."""
    per_round = [[] for _ in range(rounds)]
    for r, path in runs(steal_dir, key):
        if 1 <= r <= rounds:
            with open(path) as f:
                per_round[r - 1].append(float(f.read()))
    return per_round


def steal_note(ps, ss, prompt, slow):
    rounds = len(prompt)
    if not any(ps) or not any(ss):
        return ""
    mean = lambda rs: sum(sum(r) for r in rs) / sum(len(r) for r in rs)
    worst = max(max(r) for r in ps + ss if r)
    quiet = [i for i in range(rounds) if ps[i] and ss[i] and max(ps[i] + ss[i]) <= QUIET_STEAL_PCT]
    note = ("; CPU stolen from the proxies by the hypervisor: prompt side %.1f %%, slow side %.1f %% of run time "
            "(at most %.1f %% in a run)" % (mean(ps), mean(ss), worst))
    if len(quiet) == rounds:
        note += ", no run lost more than %g %%" % QUIET_STEAL_PCT
    elif len(quiet) >= 2:
        q_prompt, q_slow = [prompt[i] for i in quiet], [slow[i] for i in quiet]
        low, high = interval(q_prompt, q_slow)
        note += "; over the %d rounds in which no run lost more than %g %%: %+.1f%% (95%% interval %+.1f to %+.1f%%)" % (
            len(quiet), QUIET_STEAL_PCT, change(q_prompt, q_slow), low, high)
    else:
        note += "; fewer than 2 rounds in which no run lost more than %g %%" % QUIET_STEAL_PCT
    return note


def p99(hists):
    merged = {}
    for h in hists:
        merge(merged, h)
    return percentiles(merged, (99,))[99]


def change(prompt, slow):
    """Per cent change of the pooled p99, slow against prompt."""
    p = p99(prompt)
    return (p99(slow) - p) / p * 100


def interval(prompt, slow):
    """95 % bootstrap interval of change(): rounds drawn with replacement, both sides of a round kept together."""
    rounds = len(prompt)
    rng = random.Random(SEED)
    boot = []
    for _ in range(RESAMPLES):
        drawn = [rng.randrange(rounds) for _ in range(rounds)]
        boot.append(change([prompt[i] for i in drawn], [slow[i] for i in drawn]))
    boot.sort()
    return boot[int(0.025 * RESAMPLES)], boot[int(0.975 * RESAMPLES) - 1]


def main():
    hist_dirs, prompt_key, slow_key, first_rounds, target = sys.argv[1].split(":"), sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    prompt, slow, prompt_steal, slow_steal = [], [], [], []
    for n, hist_dir in enumerate(hist_dirs):
        per_run = first_rounds if n == 0 else max((r for r, _ in runs(hist_dir, prompt_key)), default=0)
        if per_run < 1:
            sys.exit("no histogram for %s under %s" % (prompt_key, hist_dir))
        prompt += rounds_of(hist_dir, prompt_key, per_run)
        slow += rounds_of(hist_dir, slow_key, per_run)
        steal_dir = os.path.join(os.path.dirname(os.path.abspath(hist_dir)), "steal")  # as proxy-bench.sh lays out $WORK
        prompt_steal += steal_of(steal_dir, prompt_key, per_run)
        slow_steal += steal_of(steal_dir, slow_key, per_run)
    rounds = len(prompt)
    effect = change(prompt, slow)
    paired = [change([p], [s]) for p, s in zip(prompt, slow)]
    low, high = interval(prompt, slow)
    if high < target:
        verdict = "met (the whole interval is below %g %%)" % target
    elif low >= target:
        verdict = "missed (the whole interval is at or above %g %%)" % target
    else:
        verdict = "not settled (the interval holds %g %%)" % target
    print("%+.1f%% (95%% interval %+.1f to %+.1f%%, bootstrap over %d rounds); paired rounds %s; against %g%%: %s%s"
          % (effect, low, high, rounds, " ".join("%+.0f" % d for d in paired), target, verdict,
             steal_note(prompt_steal, slow_steal, prompt, slow)))


if __name__ == "__main__":
    main()
