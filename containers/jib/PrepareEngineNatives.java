import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Unpacks the native libraries of DJL's engines, found in a Quarkus app's lib/main, into the layout
 * DJL's engine cache has after a first run, always for linux-x86_64 (the image's platform, not the
 * build machine's):
 *
 * <pre>
 *   OUT/djl/pytorch/VERSION-FLAVOR-CLASSIFIER/   libtorch*.so, libc10.so, libgomp-*.so.1, DJL-libdjl_torch.so
 *   OUT/djl/tokenizers/VERSION-cpu-linux-x86_64/ libtokenizers.so
 *   OUT/onnxruntime/                             libonnxruntime.so, libonnxruntime4j_jni.so
 * </pre>
 *
 * The image points ENGINE_CACHE_DIR at OUT/djl and onnxruntime.native.path at OUT/onnxruntime, so a
 * step loads its engines from a read-only image layer and never unpacks ~500 MB into /tmp at
 * start. Should DJL change its layout, DJL would try to unpack into the read-only layer and fail:
 * the image smoke test (containers/) catches that.
 *
 * <p>Run by the images profile of the root pom, with the source launcher (no build of its own):
 * {@code java PrepareEngineNatives.java <quarkus-app/lib/main> <out>}. Without engine jars (the
 * operator) OUT stays empty. An up-to-date OUT (same jars, see OUT/.sources) is left as it is.
 */
public final class PrepareEngineNatives {
    private static final String PLATFORM = "linux-x86_64";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java PrepareEngineNatives.java <quarkus-app/lib/main> <out>");
            System.exit(1);
        }
        Path lib = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isDirectory(lib)) {
            System.err.println("engine natives: " + lib + " is not a directory (build the Quarkus app first: package phase)");
            System.exit(1);
        }
        Optional<Path> torch = jar(lib, "ai.djl.pytorch.pytorch-native-cpu-", "-" + PLATFORM + ".jar");
        Optional<Path> torchJni = jar(lib, "ai.djl.pytorch.pytorch-jni-", ".jar");
        Optional<Path> djlApi = jar(lib, "ai.djl.api-", ".jar");
        Optional<Path> tokenizers = jar(lib, "ai.djl.huggingface.tokenizers-", ".jar");
        Optional<Path> ort = jar(lib, "com.microsoft.onnxruntime.onnxruntime-", ".jar");

        List<Path> sources = Stream.of(torch, torchJni, djlApi, tokenizers, ort).flatMap(Optional::stream).toList();
        String stamp = sources.stream().map(p -> p.getFileName() + " " + size(p)).reduce("", (a, b) -> a + b + "\n");
        Path stampFile = out.resolve(".sources");
        if (Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
            System.out.println("engine natives: " + out + " is up to date");
            return;
        }
        deleteTree(out);
        Files.createDirectories(out);
        if (torch.isEmpty() && tokenizers.isEmpty() && ort.isEmpty()) {
            // An empty OUT: Jib wants the folder, and makes no layer of it.
            Files.writeString(stampFile, stamp);
            System.out.println("engine natives: no DJL engine jars in " + lib + "; no native layer");
            return;
        }
        List<String> written = new ArrayList<>();
        if (torch.isPresent()) {
            if (torchJni.isEmpty() || djlApi.isEmpty()) {
                fail("found " + torch.get().getFileName() + " but not pytorch-jni and ai.djl.api beside it in " + lib);
            }
            try (ZipFile z = new ZipFile(torch.get().toFile()); ZipFile jni = new ZipFile(torchJni.get().toFile());
                    ZipFile api = new ZipFile(djlApi.get().toFile())) {
                Properties p = properties(z, "native/lib/pytorch.properties");
                String version = required(p, "version", z);
                String flavor = required(p, "flavor", z);
                String classifier = required(p, "classifier", z);
                String djlVersion = required(properties(api, "ai/djl/engine/api.properties"), "djl_version", api);
                Path dir = out.resolve("djl/pytorch").resolve(version + "-" + flavor + "-" + classifier);
                for (String name : required(p, "libraries", z).split(",")) {
                    copy(z, "pytorch/" + flavor + "/" + classifier + "/" + name, dir.resolve(name));
                }
                copy(jni, "jnilib/" + classifier + "/" + flavor + "/libdjl_torch.so", dir.resolve(djlVersion + "-libdjl_torch.so"));
                written.add(out.relativize(dir).toString());
            }
        }
        if (tokenizers.isPresent()) {
            try (ZipFile z = new ZipFile(tokenizers.get().toFile())) {
                String version = required(properties(z, "native/lib/tokenizers.properties"), "version", z);
                Path dir = out.resolve("djl/tokenizers").resolve(version + "-cpu-" + PLATFORM);
                copy(z, "native/lib/" + PLATFORM + "/cpu/libtokenizers.so", dir.resolve("libtokenizers.so"));
                written.add(out.relativize(dir).toString());
            }
        }
        if (ort.isPresent()) {
            try (ZipFile z = new ZipFile(ort.get().toFile())) {
                Path dir = out.resolve("onnxruntime");
                for (String name : List.of("libonnxruntime.so", "libonnxruntime4j_jni.so")) {
                    copy(z, "ai/onnxruntime/native/linux-x64/" + name, dir.resolve(name));
                }
                written.add(out.relativize(dir).toString());
            }
        }
        Files.writeString(stampFile, stamp);
        System.out.println("engine natives: " + String.join(", ", written) + " in " + out);
    }

    /** The one jar in lib whose name has the prefix and suffix (Quarkus names them group.artifact-version). */
    private static Optional<Path> jar(Path lib, String prefix, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            List<Path> found = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix);
            }).sorted().toList();
            if (found.size() > 1) {
                fail("more than one " + prefix + "*" + suffix + " in " + lib + ": " + found);
            }
            return found.stream().findFirst();
        }
    }

    private static Properties properties(ZipFile z, String entry) throws IOException {
        ZipEntry e = z.getEntry(entry);
        if (e == null) {
            fail(z.getName() + " has no " + entry + "; is this the DJL version the images were written for (DESIGN.md, 4)?");
        }
        Properties p = new Properties();
        try (InputStream in = z.getInputStream(e)) {
            p.load(in);
        }
        return p;
    }

    private static String required(Properties p, String key, ZipFile z) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            fail(z.getName() + ": no '" + key + "' in its native library properties");
        }
        return v.trim();
    }

    private static void copy(ZipFile z, String entry, Path to) throws IOException {
        ZipEntry e = z.getEntry(entry);
        if (e == null) {
            fail(z.getName() + " has no " + entry + " (expected the " + PLATFORM + " native library there)");
        }
        Files.createDirectories(to.getParent());
        try (InputStream in = z.getInputStream(e)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void fail(String message) {
        System.err.println("engine natives: " + message);
        System.exit(1);
    }
}
