package io.brandscan.launcher;

import io.brandscan.embedding.image.DecodedImage;
import io.brandscan.embedding.image.ImageDecodeException;
import io.brandscan.embedding.image.ImageDecoder;
import io.brandscan.embedding.image.ImageFormat;
import io.brandscan.embedding.model.EmbeddingException;
import io.brandscan.embedding.model.EmbeddingModelSpec;
import io.brandscan.embedding.model.ImageEmbedder;
import io.brandscan.embedding.model.InvalidModelSpecException;
import io.brandscan.embedding.scoring.ImageMatch;
import io.brandscan.embedding.scoring.ImageSignature;
import io.brandscan.embedding.scoring.ImageSimilarity;
import io.brandscan.embedding.scoring.ScoreJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code score-images --reference <files or dirs> --candidate <files or dirs> [--model-conf <json>]}:
 * shows why two images match. Prints one JSON object per line for each (reference, candidate)
 * pair: {@code reference}, {@code candidate}, {@code image_score} and every part of it (the
 * embedding cosine, the aHash/dHash/pHash Hamming distances, whether the candidate matched
 * mirrored or border-trimmed). A file that cannot be read or is not an image gives one line
 * {@code {"file", "error", "reason"}} and the run goes on. References are embedded whole and in
 * their crop windows ({@code embedding_view} says which was closest), as the pipeline does.
 *
 * <p>Directories are walked recursively in sorted order and only files whose bytes start like an
 * image are taken (a README beside the photos is skipped, with a note on stderr). Exit codes:
 * 0 when it ran (whatever the per-file errors), 1 when the image model cannot be loaded, 2 for
 * bad usage (a missing option, a --model-conf that is not valid JSON or not a valid model spec).
 */
@Command(name = "score-images", mixinStandardHelpOptions = true,
        description = "Compare images: one JSON line per (reference, candidate) pair with image_score and its parts.")
public final class ScoreImagesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", required = true, arity = "1..*", split = ",", paramLabel = "<file or dir>",
            description = "reference images: files or directories (comma-separated or repeated)")
    List<Path> references;

    @Option(names = "--candidate", required = true, arity = "1..*", split = ",", paramLabel = "<file or dir>",
            description = "candidate images: files or directories (comma-separated or repeated)")
    List<Path> candidates;

    @Option(names = "--model-conf", paramLabel = "<file or JSON>",
            description = "image model spec (model_path, input_name, ..., see EmbeddingModelSpec); default: bundled MobileNetV2")
    String modelConf;

    private record Loaded(String file, ImageSignature signature) {
    }

    @Override
    public Integer call() {
        EmbeddingModelSpec modelSpec = modelSpec();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageEmbedder embedder;
        try {
            embedder = ImageEmbedder.load(modelSpec);
        } catch (InvalidModelSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model-conf: " + e.getMessage());
        } catch (EmbeddingException e) {
            err.println("score-images: cannot load the image model: " + e.getMessage());
            err.flush();
            return 1;
        }
        try (embedder) {
            ImageDecoder decoder = ImageDecoder.withDefaults();
            ImageSimilarity similarity = ImageSimilarity.withDefaults();
            List<Loaded> refs = new ArrayList<>();
            for (Path file : files(references, out, err)) {
                Loaded loaded = load(file, decoder, embedder, out, true);
                if (loaded != null) {
                    refs.add(loaded);
                }
            }
            for (Path file : files(candidates, out, err)) {
                Loaded cand = load(file, decoder, embedder, out, false);
                if (cand == null) {
                    continue;
                }
                for (Loaded ref : refs) {
                    ImageMatch m = similarity.compare(ref.signature(), cand.signature());
                    JsonObject line = new JsonObject().put("reference", ref.file()).put("candidate", cand.file());
                    line.mergeIn(ScoreJson.imageMatch(m));
                    line.put("reference", ref.file()); // the merge brought the match's null reference id
                    out.println(line.encode());
                }
                out.flush();
            }
        }
        out.flush();
        return 0;
    }

    private EmbeddingModelSpec modelSpec() {
        if (modelConf == null) {
            return EmbeddingModelSpec.defaults();
        }
        String text = modelConf.strip();
        try {
            if (!text.startsWith("{")) {
                text = Files.readString(Path.of(text));
            }
            return EmbeddingModelSpec.fromMap(new JsonObject(text).getMap());
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model-conf: cannot read " + modelConf
                    + ": " + e);
        } catch (DecodeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model-conf is not valid JSON: "
                    + e.getMessage());
        } catch (InvalidModelSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model-conf: " + e.getMessage());
        }
    }

    /**
     * The files named, directories expanded (sorted, images only by content). Paths that do not
     * exist or cannot be listed give an error line here; named files are kept whatever they hold,
     * so that a non-image named explicitly gets its own error line.
     */
    static List<Path> files(List<Path> paths, PrintWriter out, PrintWriter err) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                out.println(error(p.toString(), "not_found", "no such file or directory"));
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        if (looksLikeImage(f)) {
                            files.add(f);
                        } else {
                            err.println("score-images: skipping " + f + ": not an image");
                        }
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    out.println(error(p.toString(), "unreadable", "cannot list directory: " + e.getMessage()));
                }
            } else {
                files.add(p);
            }
        }
        out.flush();
        err.flush();
        return files;
    }

    /** Whether the first bytes are an image (any format we recognise, decodable or not). */
    private static boolean looksLikeImage(Path f) {
        byte[] head = new byte[1024];
        int n;
        try (var in = Files.newInputStream(f)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return true; // let load() report why it cannot be read
        }
        try {
            ImageFormat.sniff(java.util.Arrays.copyOf(head, n));
            return true;
        } catch (ImageDecodeException e) {
            return e.reason() == io.brandscan.embedding.image.DecodeFailure.UNSUPPORTED_FORMAT;
        }
    }

    /** Reads, decodes and signs one file; references also get their crop windows embedded. */
    private static Loaded load(Path file, ImageDecoder decoder, ImageEmbedder embedder, PrintWriter out,
                               boolean reference) {
        String name = file.toString();
        try {
            byte[] bytes = Files.readAllBytes(file);
            DecodedImage image = decoder.decode(bytes);
            return new Loaded(name, reference ? ImageSignature.ofReference(image.image(), embedder::embed)
                    : ImageSignature.ofListing(image.image(), embedder::embed));
        } catch (NoSuchFileException e) {
            out.println(error(name, "not_found", "no such file"));
        } catch (IOException e) {
            out.println(error(name, "unreadable", e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (ImageDecodeException e) {
            out.println(error(name, e.reason().name().toLowerCase(java.util.Locale.ROOT), e.getMessage()));
        } catch (EmbeddingException e) {
            out.println(error(name, "embedding_failed", e.getMessage()));
        }
        out.flush();
        return null;
    }

    static String error(String file, String error, String reason) {
        return new JsonObject().put("file", file).put("error", error).put("reason", reason).encode();
    }
}
