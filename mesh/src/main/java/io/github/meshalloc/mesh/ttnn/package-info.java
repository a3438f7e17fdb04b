/**
 * Enough of ttnn's tensor vocabulary to state a workload as data and to derive, exactly as ttnn does, the
 * device buffers it allocates: {@link io.github.meshalloc.mesh.ttnn.Shape}, {@link io.github.meshalloc.mesh.ttnn.DataType},
 * {@link io.github.meshalloc.mesh.ttnn.Layout}, {@link io.github.meshalloc.mesh.ttnn.TensorMemoryConfig},
 * {@link io.github.meshalloc.mesh.ttnn.TensorSpec} (padded shape, page size, page count, packed buffer size, sharding
 * arguments) and {@link io.github.meshalloc.mesh.ttnn.MeshMapper} (how a host tensor is split over a mesh of chips).
 *
 * <p>The rules follow {@code ttnn/cpp/ttnn/tensor/layout/tensor_layout.cpp}, {@code layout/page_config.cpp},
 * {@code tensor_spec.cpp}, {@code tensor_impl.cpp} ({@code allocate_mesh_buffer_on_device}),
 * {@code distributed/distributed_tensor.cpp} and {@code tensor/xtensor/partition.cpp} of tenstorrent/tt-metal.
 * Statements that are inferences rather than read from those files are marked [I].
 */
package io.github.meshalloc.mesh.ttnn;
