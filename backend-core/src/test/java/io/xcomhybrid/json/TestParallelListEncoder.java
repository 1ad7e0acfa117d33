package io.xcomhybrid.json;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.xcomhybrid.testing.RecordedReads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A long list split over several threads gives the bytes one thread writes, whatever the items, the number of
 * helpers and where the segments fall; errors name the same path as serially; the call returns only once no helper
 * reads the value. Most tests use tiny sizes (a 100-byte probe, 200-byte segments) so a small value makes many
 * segments.
 */
class TestParallelListEncoder
{
    private final ValueWriter writer = new ValueWriter(ZoneId.of("UTC"), JsonMapper.builder().findAndAddModules().build());
    private final ExecutorService executor = Executors.newFixedThreadPool(3);

    @AfterEach
    void tearDown()
    {
        executor.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void randomValuesGiveTheSerialBytes(int helpers)
            throws IOException
    {
        for (int seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            Object value = Map.of("rows", randomList(random, 2 + random.nextInt(3000), 0), "n", seed);
            assertThat(parallel(value, helpers, 100, 200, 2000))
                    .as("seed %d", seed)
                    .isEqualTo(XComJson.standard().withNaiveZone(ZoneId.of("UTC")).toBytes(value));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void defaultSizesGiveTheSerialBytesOfALargeValue(int helpers)
            throws IOException
    {
        List<Object> rows = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 60_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", i);
            row.put("name", "customer-" + Long.toHexString(random.nextLong()));
            row.put("amount", random.nextInt(1_000_000) / 100.0);
            row.put("region", i % 7 == 0 ? "Z\u00fcrich" : "eu-west-1");
            row.put("tags", List.of("t" + random.nextInt(100), "t" + random.nextInt(100)));
            rows.add(row);
        }
        Map<String, Object> value = Map.of("rows", rows);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XComJson.standard().write(value, out, executor, helpers);
        byte[] serial = XComJson.standard().toBytes(value);
        assertThat(serial.length).isGreaterThan(5 << 20);
        assertThat(out.toByteArray()).isEqualTo(serial);
    }

    @Test
    void anItemBeyondTheSegmentCapIsWrittenByTheCaller()
            throws IOException
    {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(i == 1200 ? "big-" + "x".repeat(10_000) : "item-" + i);
        }
        assertThat(parallel(items, 2, 100, 200, 2000)).isEqualTo(XComJson.standard().toBytes(items));
    }

    @Test
    void aClosedExecutorLeavesTheWholeListToTheCaller()
            throws IOException
    {
        executor.shutdown();
        List<Object> items = randomList(new Random(3), 3000, 0);
        assertThat(parallel(items, 3, 100, 200, 2000)).isEqualTo(XComJson.standard().withNaiveZone(ZoneId.of("UTC")).toBytes(items));
    }

    @Test
    void theFirstErrorInDocumentOrderIsThrownWithItsPath()
    {
        for (int first : new int[] {5, 400, 1234, 2990}) {
            List<Object> rows = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                rows.add(i == first ? Map.of("a", List.of(1, new byte[1])) : i == first + 3 || i == 2999 ? new byte[2] : Map.of("a", List.of(i, "x" + i)));
            }
            Map<String, Object> value = Map.of("rows", rows);
            String serial = catchMessage(() -> XComJson.standard().toBytes(value));
            assertThat(serial).contains("/rows/" + first + "/a/1");
            for (int helpers = 1; helpers <= 3; helpers++) {
                int threads = helpers;
                assertThat(catchMessage(() -> parallel(value, threads, 100, 200, 2000))).isEqualTo(serial);
            }
        }
    }

    @Test
    void returnsOnlyWhenNoHelperReadsTheValue()
            throws InterruptedException
    {
        RecordedReads reads = new RecordedReads(Duration.ofMillis(1));
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // the item before the bad one waits until a helper has read an item, so the helpers are surely busy
            items.add(i == 30 ? new byte[0] : reads.item(i, i == 29));
        }
        // the caller meets the bad item early, while helpers are busy with slow items further on
        assertThatThrownBy(() -> parallel(items, 3, 100, 200, 100_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/30");
        int readsAtReturn = reads.reads();
        Thread.sleep(200);
        assertThat(reads.reads()).isEqualTo(readsAtReturn);
        assertThat(reads.helperRead()).isTrue();
    }

    private byte[] parallel(Object value, int helpers, int probeBytes, int segmentBytes, int maxSegmentBytes)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PythonJsonWriter json = new PythonJsonWriter(out, new ParallelListEncoder(executor, helpers, probeBytes, segmentBytes, maxSegmentBytes))) {
            writer.write(json, value, DbForm.AIRFLOW2_BYTES);
        }
        return out.toByteArray();
    }

    private static String catchMessage(ThrowingRunnable action)
    {
        try {
            action.run();
        }
        catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
        throw new AssertionError("no exception");
    }

    private interface ThrowingRunnable
    {
        void run()
                throws Exception;
    }

    /** Items of every kind the writer knows, some of them lists long enough to be split again (they are not). */
    private static List<Object> randomList(Random random, int size, int depth)
    {
        List<Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(randomItem(random, depth));
        }
        return items;
    }

    private static Object randomItem(Random random, int depth)
    {
        int kind = random.nextInt(depth < 2 ? 14 : 10);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 5 -> new BigInteger(100, random);
            case 6 -> "s\u00e9\"\\\n\t" + random.nextInt(1000) + "\ud83d\ude00";
            case 7 -> "plain-" + Long.toHexString(random.nextLong());
            case 8 -> random.nextFloat();
            case 9 -> java.time.LocalDate.of(2000 + random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28));
            case 10 -> randomList(random, random.nextInt(200), depth + 1);
            case 11 -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    map.put("k" + random.nextInt(20), randomItem(random, depth + 1));
                }
                yield map;
            }
            case 12 -> new PyTuple(randomList(random, random.nextInt(4), depth + 1));
            default -> Set.of("only");
        };
    }
}
