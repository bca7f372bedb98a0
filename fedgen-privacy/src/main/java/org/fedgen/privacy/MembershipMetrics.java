package org.fedgen.privacy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How well per-record scores separate members (records a model was trained on) from non-members: ROC AUC and the true
 * positive rate at a 1 % false positive rate, each with a percentile bootstrap confidence interval (members and
 * non-members resampled with replacement, separately). A higher score means "member". This measures an attack; it
 * proves no privacy.
 *
 * @param auc      P(score of a member &gt; score of a non-member) + ½ P(tie)
 * @param aucLow   lower end of the 95 % bootstrap interval of the AUC
 * @param aucHigh  upper end
 * @param tpr      fraction of members scored above the threshold that at most 1 % of the non-members exceed
 * @param tprLow   lower end of its 95 % interval
 * @param tprHigh  upper end
 */
public record MembershipMetrics(double auc, double aucLow, double aucHigh, double tpr, double tprLow,
        double tprHigh) {
    /** The false positive rate of {@link #tpr}. */
    public static final double FPR = 0.01;

    /**
     * @param bootstrap resamples for the intervals (≥ 1)
     * @param seed      seed of the resampling
     * @throws IllegalArgumentException for an empty side, a non-finite score or bootstrap &lt; 1
     */
    public static MembershipMetrics of(double[] members, double[] nonMembers, int bootstrap, long seed) {
        check(members, "member");
        check(nonMembers, "non-member");
        if (bootstrap < 1) {
            throw new IllegalArgumentException("bootstrap resamples must be >= 1, got " + bootstrap);
        }
        double auc = auc(members, nonMembers);
        double tpr = tprAtFpr(members, nonMembers);
        double[] aucs = new double[bootstrap];
        double[] tprs = new double[bootstrap];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < bootstrap; b++) {
            double[] m = resample(members, rng);
            double[] n = resample(nonMembers, rng);
            aucs[b] = auc(m, n);
            tprs[b] = tprAtFpr(m, n);
        }
        Arrays.sort(aucs);
        Arrays.sort(tprs);
        return new MembershipMetrics(auc, percentile(aucs, 0.025), percentile(aucs, 0.975), tpr,
                percentile(tprs, 0.025), percentile(tprs, 0.975));
    }

    /** Mann–Whitney: the fraction of (member, non-member) pairs ordered correctly, ties counting ½. */
    static double auc(double[] members, double[] nonMembers) {
        double[] n = nonMembers.clone();
        Arrays.sort(n);
        double wins = 0;
        for (double s : members) {
            int below = lowerBound(n, s);
            int notAbove = upperBound(n, s);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) members.length * n.length);
    }

    /** TPR at the strictest threshold that at most ⌊1 % · n⌋ non-members exceed. */
    static double tprAtFpr(double[] members, double[] nonMembers) {
        double[] n = nonMembers.clone();
        Arrays.sort(n);
        int allowed = (int) Math.floor(FPR * n.length);
        // members must score strictly above the (allowed + 1)-th largest non-member score
        double threshold = n[n.length - 1 - allowed];
        int above = 0;
        for (double s : members) {
            if (s > threshold) {
                above++;
            }
        }
        return (double) above / members.length;
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] resample(double[] v, SplittableRandom rng) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[rng.nextInt(v.length)];
        }
        return out;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static void check(double[] scores, String what) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no " + what + " scores");
        }
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(what + " score " + i + " is not finite: " + scores[i]);
            }
        }
    }
}
