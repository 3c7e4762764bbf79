package io.brandscan.embedding.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Finds the .onnx file a spec names: the file on disk when it exists, otherwise the classpath
 * resource of the same relative path (the default model is bundled in the jar), copied once to a
 * cache file because ONNX Runtime loads models from files. Nothing else is guessed: a configured
 * path that is neither a file nor a resource is an error, never silently the default model.
 */
public final class ModelFile {

    private ModelFile() {
    }

    /**
     * @throws InvalidModelSpecException naming {@code model_path} when neither a file nor a resource exists
     */
    public static Path resolve(String modelPath) {
        Path onDisk = Path.of(modelPath);
        if (Files.isRegularFile(onDisk)) {
            return onDisk.toAbsolutePath();
        }
        String resource = modelPath.replace('\\', '/').replaceFirst("^/+", "");
        ClassLoader loader = ModelFile.class.getClassLoader();
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new InvalidModelSpecException(EmbeddingModelSpec.Keys.MODEL_PATH,
                        "names no file (" + onDisk.toAbsolutePath() + ") and no classpath resource '" + resource + "'");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath model " + resource, e);
        }
        return cache(resource, bytes);
    }

    // Keyed by content hash, so a new jar with a new model never reuses a stale copy, and written
    // to a temporary name then moved, so two processes starting at once never load a half file.
    private static Path cache(String resource, byte[] bytes) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            String fileName = Path.of(resource).getFileName().toString();
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "brandscan-models");
            Files.createDirectories(dir);
            Path target = dir.resolve(hash + "-" + fileName);
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Path partial = Files.createTempFile(dir, hash, ".partial");
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract classpath model " + resource + " to a cache file", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
