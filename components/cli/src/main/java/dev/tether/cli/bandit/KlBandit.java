package dev.tether.cli.bandit;

import java.util.List;

/**
 * A one-step "language": the policy answers a fixed prompt with one of K canned replies. Small
 * enough that the KL-regularised optimum is known in closed form,
 *
 * <pre>
 *   π*(y) = π_ref(y)·exp(r(y)/β) / Z,   KL(π* ‖ π_ref) = E_π*[r]/β − log Z,
 * </pre>
 *
 * so a run of tether's RL core can be checked against the answer instead of against taste. The
 * proxy reward overrates one reply (the "exploit") that the gold reward hates — reward hacking in
 * miniature: with β = 0 the optimum is all-in on the exploit.
 *
 * @param replies the K replies, index = token id
 * @param refProbs π_ref over the replies (sums to 1)
 * @param proxy the reward the policy is trained on
 * @param gold the reward we actually want
 */
public record KlBandit(List<String> replies, double[] refProbs, double[] proxy, double[] gold) {

    /** The bandit the demo uses: a cautious base model, and a proxy that loves an over-the-top reply. */
    public static KlBandit reviews() {
        return new KlBandit(
                List.of("it was awful", "it was poor", "it was fine", "it was good",
                        "it was great", "it was excellent", "it was lovely", "best best best !!!"),
                new double[] {0.25, 0.20, 0.15, 0.12, 0.10, 0.08, 0.06, 0.04},
                new double[] {-1.0, -0.5, 0.0, 0.5, 1.0, 1.2, 0.8, 2.0},
                new double[] {-1.0, -0.5, 0.0, 0.5, 1.0, 1.2, 0.8, -2.0});
    }

    public int size() {
        return refProbs.length;
    }

    /** π* ∝ π_ref·exp(r/β); β = 0 is the limit: uniform over the proxy's maximisers. */
    public double[] optimum(double beta) {
        double[] p = new double[size()];
        if (beta == 0) {
            double best = Double.NEGATIVE_INFINITY;
            for (double r : proxy) {
                best = Math.max(best, r);
            }
            int ties = 0;
            for (double r : proxy) {
                ties += r == best ? 1 : 0;
            }
            for (int i = 0; i < p.length; i++) {
                p[i] = proxy[i] == best ? 1.0 / ties : 0;
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double r : proxy) {
            max = Math.max(max, r / beta);
        }
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = refProbs[i] * Math.exp(proxy[i] / beta - max); // shifted by max: no overflow at small β
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }

    /** Exact KL(p ‖ π_ref) in nats (one token per response, so kl_seq = kl_token). */
    public double klToReference(double[] p) {
        double kl = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                kl += p[i] * Math.log(p[i] / refProbs[i]);
            }
        }
        return kl;
    }

    public static double expectation(double[] p, double[] f) {
        double e = 0;
        for (int i = 0; i < p.length; i++) {
            e += p[i] * f[i];
        }
        return e;
    }

    /** Total-variation distance ½Σ|p − q|. */
    public static double totalVariation(double[] p, double[] q) {
        double tv = 0;
        for (int i = 0; i < p.length; i++) {
            tv += Math.abs(p[i] - q[i]);
        }
        return tv / 2;
    }
}
