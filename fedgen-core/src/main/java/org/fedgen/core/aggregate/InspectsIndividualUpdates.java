package org.fedgen.core.aggregate;

/**
 * Marks an aggregation rule whose output depends on individual client updates beyond their clipped, noised sum:
 * weights from client-reported scores (MMD), selection by distances (Krum), order statistics (median, trimmed mean),
 * filtering. Such a rule breaks the sensitivity argument of DP-FedAvg, so a differentially private run refuses it on
 * any part the clients send (see {@code org.fedgen.privacy.DpChecks}).
 */
public interface InspectsIndividualUpdates {
}
