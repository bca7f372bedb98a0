/**
 * Tables for federated synthesis: CSV files with a header read through Commons CSV, column types (numeric, integer,
 * categorical, boolean, date) declared in a small JSON schema or inferred from statistics the clients share, the
 * reversible transform between rows and [0, 1] feature vectors, and the fidelity, privacy and utility metrics of
 * synthetic rows. Transforms of a federated run come from the schema or from merged client statistics, never from
 * pooled rows.
 */
package org.fedgen.runs.table;
