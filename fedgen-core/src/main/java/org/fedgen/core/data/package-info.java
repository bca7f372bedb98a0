/**
 * In-memory datasets, the IDX file format, the bundled digits and the seeded partitioners (IID, Dirichlet label skew,
 * label shards) that split a dataset into client shards given as index lists.
 */
package org.fedgen.core.data;
