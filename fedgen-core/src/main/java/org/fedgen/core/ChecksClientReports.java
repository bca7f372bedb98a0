package org.fedgen.core;

/**
 * An aggregator that uses numbers the clients report about themselves (metrics such as an MMD score) and can say
 * which reports are unusable. The {@link Server} asks every such aggregator in its chain (through
 * {@link PartPolicy} routes and {@link org.fedgen.core.aggregate.AggregatorDecorator}s) about every update before
 * aggregating: an update with a bad report is rejected and counted like any other invalid update, so one client
 * cannot abort the round.
 */
public interface ChecksClientReports {
    /**
     * @param update an update that passed the structural checks of {@link UpdateValidator}
     * @return null if the update's reports are usable, else the reason (naming the metric and its value)
     */
    String reportRejection(ClientUpdate update);
}
