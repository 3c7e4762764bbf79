package io.brandscan.embedding.scoring;

import io.brandscan.embedding.image.HashDistances;
import io.brandscan.embedding.scoring.InfringementScore.BonusPart;
import io.brandscan.embedding.text.FoldStep;
import io.brandscan.embedding.text.LexicalMatch;
import io.brandscan.embedding.text.TextScore;
import io.brandscan.embedding.text.TitleSpan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The JSON form of scores, with snake_case keys: what the pipeline stores in MongoDB with each
 * finding, what the API shows a reviewer, and what the {@code score-images} / {@code score-text}
 * commands print. The only class of this package that touches Vert.x, and only its JSON types:
 * records inside, JSON at the edges. Absent parts are JSON null rather than missing, so every
 * document has the same shape.
 */
public final class ScoreJson {

    private ScoreJson() {
    }

    /** The whole breakdown of an infringement score. */
    public static JsonObject toJson(InfringementScore s) {
        JsonObject image = new JsonObject()
                .put("score", s.image().score())
                .put("weight", s.image().weight())
                .put("contribution", s.image().contribution())
                .put("note", s.image().note())
                .put("match", s.image().match() == null ? null : imageMatch(s.image().match()));
        JsonObject text = textScore(s.text().score())
                .put("weight", s.text().weight())
                .put("contribution", s.text().contribution());
        JsonArray bonuses = new JsonArray();
        for (BonusPart b : s.bonuses()) {
            bonuses.add(new JsonObject()
                    .put("name", b.bonus().key())
                    .put("fired", b.fired())
                    .put("applied", b.applied())
                    .put("weight", b.weight())
                    .put("contribution", b.contribution())
                    .put("detail", b.detail()));
        }
        return new JsonObject()
                .put("brand_id", s.brandId())
                .put("probability", s.probability())
                .put("infringing", s.infringing())
                .put("threshold", s.threshold())
                .put("evidence", s.evidence())
                .put("image", image)
                .put("text", text)
                .put("bonuses", bonuses)
                .put("weights", new JsonObject(s.config().weights().toConfig()))
                .put("thresholds", new JsonObject(s.config().thresholds().toConfig()));
    }

    /** One image comparison: image_score, its parts and the hash distances. */
    public static JsonObject imageMatch(ImageMatch m) {
        HashDistances h = m.hashes();
        return new JsonObject()
                .put("reference", m.referenceId())
                .put("image_score", m.score())
                .put("matched", m.matched())
                .put("decided_by", m.decidedBy().label())
                .put("embedding_cosine", m.embeddingCosine())
                .put("embedding_view", m.embeddingView())
                .put("embedding_score", m.embeddingScore())
                .put("hash_score", m.hashScore())
                .put("joint_score", m.jointScore())
                .put("ahash", h.aHash())
                .put("dhash", h.dHash())
                .put("phash", h.pHash())
                .put("mirrored", h.mirrored())
                .put("trimmed", h.trimmed());
    }

    /** One text score: the rule, the brand term, the span in the title, the folds and both parts. */
    public static JsonObject textScore(TextScore t) {
        LexicalMatch lex = t.lexical();
        JsonArray folds = new JsonArray();
        for (FoldStep f : t.folds()) {
            folds.add(f.name().toLowerCase(Locale.ROOT));
        }
        return new JsonObject()
                .put("score", t.score())
                .put("matched", t.matched())
                .put("rule", t.rule().name().toLowerCase(Locale.ROOT))
                .put("brand_term", t.brandTerm())
                .put("term_kind", t.termKind() == null ? null : t.termKind().name().toLowerCase(Locale.ROOT))
                .put("span", span(t.titleSpan()))
                .put("folds", folds)
                .put("lexical_score", t.lexicalScore())
                .put("embedding_score", t.embeddingScore())
                .put("embedding_cosine", t.embeddingCosine())
                .put("embedding_used", t.embeddingUsed())
                .put("context_confirmed", t.contextConfirmed())
                .put("edit_distance", lex.editDistance() < 0 ? null : lex.editDistance())
                .put("ngram_similarity", lex.ngramSimilarity())
                .put("keyword", lex.keyword())
                .put("keyword_span", span(lex.keywordSpan()));
    }

    private static JsonObject span(TitleSpan span) {
        return span == null ? null : new JsonObject()
                .put("start", span.start())
                .put("end", span.end())
                .put("text", span.text());
    }
}
