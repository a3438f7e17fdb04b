package io.github.meshalloc.mesh.ttnn;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of {@code TensorToMesh::Impl} with {@code xtensor::chunk_ndim}: which shard shape a
 * {@code MeshMapperConfig} produces over a distribution shape, and how many devices receive one.
 */
final class MeshDistribution {

    /** The per-device spec and the number of devices holding a shard. */
    record Result(TensorSpec perDeviceSpec, int devicesWithData) {
    }

    private MeshDistribution() {
    }

    static void checkMesh(int meshRows, int meshCols) {
        Preconditions.checkArgument(meshRows >= 1 && meshCols >= 1,
                "mesh shape (%s, %s) must have at least 1 row and 1 column", meshRows, meshCols);
    }

    /**
     * Distributes {@code global} over {@code distributionShape} with one placement per distribution dimension.
     *
     * @param mapperName name used in error messages
     * @param axisNames  one name per distribution dimension, for error messages
     */
    static Result distribute(String mapperName, TensorSpec global, int[] distributionShape,
            List<Placement> placements, List<String> axisNames) {
        Preconditions.checkNotNull(global, "global");
        Shape shape = global.shape();
        int rank = shape.rank();

        Map<Integer, String> shardedBy = new HashMap<>();
        List<Integer> tensorDims = new ArrayList<>();
        List<Integer> chunkCounts = new ArrayList<>();
        List<String> shardAxes = new ArrayList<>();
        long replicationFactor = 1;
        for (int axis = 0; axis < distributionShape.length; axis++) {
            Placement placement = placements.get(axis);
            String axisName = axisNames.get(axis);
            if (placement instanceof Placement.Shard shard) {
                Preconditions.checkArgument(shard.dim() >= -rank && shard.dim() < rank,
                        "%s: %s over the %s names tensor dim %s, out of range for rank-%s tensor %s; allowed dims: "
                                + "%s..%s", mapperName, placement, axisName, shard.dim(), rank, shape, -rank, rank - 1);
                int dim = shape.normalizeIndex(shard.dim());
                String previous = shardedBy.put(dim, axisName);
                Preconditions.checkArgument(previous == null,
                        "%s: tensor dim %s is sharded over both the %s and the %s; each tensor dim can be sharded "
                                + "over at most one mesh dimension", mapperName, dim, previous, axisName);
                tensorDims.add(dim);
                chunkCounts.add(distributionShape[axis]);
                shardAxes.add(axisName);
            } else {
                replicationFactor *= distributionShape[axis];
            }
        }
        if (tensorDims.isEmpty()) {
            return new Result(global, Math.toIntExact(replicationFactor));
        }

        // chunk_ndim: along each sharded dim, chunks of ceil(extent / wanted), as many as that takes, the last one
        // possibly shorter. ttnn first checks the chunk count of a 2-D distribution, then that all shards match.
        int[] chunkSizes = new int[tensorDims.size()];
        int[] produced = new int[tensorDims.size()];
        long chunksProduced = 1;
        for (int i = 0; i < tensorDims.size(); i++) {
            int dim = tensorDims.get(i);
            int extent = shape.get(dim);
            int wanted = chunkCounts.get(i);
            Preconditions.checkArgument(extent > 0,
                    "%s: tensor dim %s of %s has extent 0, which yields no chunk to place on the %s %s",
                    mapperName, dim, shape, wanted, shardAxes.get(i));
            chunkSizes[i] = (int) ((extent + (long) wanted - 1) / wanted);
            produced[i] = (extent + chunkSizes[i] - 1) / chunkSizes[i];
            chunksProduced *= produced[i];
        }
        if (distributionShape.length > 1) {
            for (int i = 0; i < tensorDims.size(); i++) {
                int extent = shape.get(tensorDims.get(i));
                int wanted = chunkCounts.get(i);
                Preconditions.checkArgument(produced[i] == wanted,
                        "%s: tensor dim %s of extent %s cut into chunks of ceil(%s/%s) = %s gives %s chunks for %s %s; "
                                + "a 2-D mesh needs one chunk per device along each sharded axis, so the extent must "
                                + "be divisible by %s", mapperName, tensorDims.get(i), extent, extent, wanted,
                        chunkSizes[i], produced[i], wanted, shardAxes.get(i), wanted);
            }
        }
        Shape shardShape = shape;
        for (int i = 0; i < tensorDims.size(); i++) {
            int dim = tensorDims.get(i);
            int extent = shape.get(dim);
            int wanted = chunkCounts.get(i);
            int last = extent - (produced[i] - 1) * chunkSizes[i];
            Preconditions.checkArgument(last == chunkSizes[i],
                    "%s: tensor dim %s of extent %s over %s %s gives chunks of %s and a last chunk of %s; all shards "
                            + "must have the same shape (ttnn: Shard shape mismatch), so the extent must be divisible "
                            + "by %s%s", mapperName, dim, extent, wanted, shardAxes.get(i), chunkSizes[i], last, wanted,
                    distributionShape.length == 1 ? " or be a multiple of " + chunkSizes[i] : "");
            shardShape = shardShape.withDim(dim, chunkSizes[i]);
        }
        return new Result(global.withShape(shardShape), Math.toIntExact(chunksProduced * replicationFactor));
    }
}
