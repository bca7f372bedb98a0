/** Benchmarks of the gRPC transport (mains, not tests). */
package org.fedgen.grpc.bench;
