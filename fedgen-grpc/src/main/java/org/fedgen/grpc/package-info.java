/**
 * Federation across processes and machines over gRPC. The server side is one {@link org.fedgen.grpc.RemoteClientProxy}
 * per client id behind {@link org.fedgen.grpc.GrpcFederationServer}, so the core {@link org.fedgen.core.Server} runs
 * rounds exactly as in the simulation; the client side is {@link org.fedgen.grpc.GrpcClientHost}, which dials out,
 * hosts one or many client ids and runs the simulation's local training on them. The wire format is
 * {@code fedgen/federation.proto}, version {@value org.fedgen.grpc.Protocol#VERSION}.
 */
package org.fedgen.grpc;
