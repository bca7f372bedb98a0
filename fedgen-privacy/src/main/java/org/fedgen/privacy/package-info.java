/**
 * Differential privacy for federated training: central DP-FedAvg ({@link org.fedgen.privacy.DpFedAvg}: clipping and
 * Gaussian noise), Rényi-DP accounting ({@link org.fedgen.privacy.RdpAccountant}, {@link org.fedgen.privacy.PrivacyLedger}),
 * adaptive clipping, a budget stop, local DP, and the checks that refuse setups which would break the guarantee.
 */
package org.fedgen.privacy;
