package io.brandscan.demo;

import java.util.Objects;

/**
 * How one demo listing's photo is made: a bundled source photo ({@code demo/images/<source>} in
 * the jar) and the edit applied to it. Rendering is {@link DemoImages}' job; this is only the
 * recipe, so a catalog of thousands of listings costs a few bytes each until a photo is asked for.
 */
public record DemoImage(String source, DemoEdit edit) {
    public DemoImage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(edit, "edit");
    }
}
