package io.brandscan.pipeline.ai;

import io.brandscan.embedding.scoring.BrandReference;
import io.brandscan.embedding.scoring.InfringementScore;
import io.brandscan.embedding.scoring.InfringementScorer;
import io.brandscan.embedding.scoring.ScoreJson;
import io.brandscan.embedding.scoring.ScoringConfigException;
import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.TitleScores;
import io.brandscan.pipeline.ScanProgress;
import io.brandscan.scan.Scan;
import io.brandscan.scan.ScanCounts;
import io.brandscan.scan.ScanEvent;
import io.brandscan.scan.ScanState;
import io.brandscan.store.FindingDraft;
import io.brandscan.store.FindingRepository;
import io.brandscan.store.ListingRepository;
import io.brandscan.store.ScanRepository;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Scores one committed scan (one {@code brand-ai-phase-queue} message), idempotently:
 * <ol>
 *   <li>the scan must be scoring the message's batch; a scan already complete, failed or
 *       cancelled, missing, or committed under another batch is acknowledged without work;</li>
 *   <li>the brand is prepared once for the scan from its snapshot: reference images
 *       ({@link ReferenceImages}) and the text profile, on the worker pool;</li>
 *   <li>the committed listings are read a page at a time (keyset on {@code _id}, a few pages in
 *       flight), scored with
 *       {@link InfringementScorer#scoreAll} on the worker pool and upserted as findings under
 *       deterministic ids (every scored listing is stored with its score and breakdown, the
 *       infringing ones and the clean ones, so reviewers can lower the bar later); re-running
 *       rewrites the same findings and never reopens a reviewed one;</li>
 *   <li>the counts are topped up to this run's totals (scored, findings = infringing) with one
 *       atomic {@code $inc}, then the scan moves scoring -> complete and an event is stored and
 *       published.</li>
 * </ol>
 * A brand snapshot that is missing or invalid fails the scan with the reason; any other error
 * fails the future so SQS redelivers the message.
 *
 * <p>Counts are topped up rather than added: a worker that died after counting but before
 * completing leaves them at the totals, and the redelivered run adds nothing. Two workers
 * scoring the same scan at the same moment (only if a message outlives its visibility, which
 * the consumer extends) could both top up; the findings themselves stay exact.
 */
final class ScanScoring {
    private static final Logger LOG = LoggerFactory.getLogger(ScanScoring.class);

    /** This run's totals. */
    record Totals(long scored, long infringing, long withoutImage) {
        Totals plus(Totals o) {
            return new Totals(scored + o.scored, infringing + o.infringing, withoutImage + o.withoutImage);
        }
    }

    private record ScoredPage(List<FindingDraft> drafts, Totals totals) {
    }

    /**
     * Titles whose text score one scan keeps (see {@link TitleScores}): a few MB at most, and far
     * more distinct titles than a marketplace search returns for one brand.
     */
    static final int TITLES_KEPT = 20_000;

    /**
     * The brand ready for scoring, the reference images left out (with why), and the text scores
     * of the titles met so far (shared by the scan's pages).
     */
    private record PreparedBrand(BrandReference reference, List<String> leftOut, TitleScores titles) {
    }

    private final ScanRepository scans;
    private final ListingRepository listings;
    private final FindingRepository findings;
    private final ReferenceImages references;
    private final InfringementScorer scorer;
    private final WorkerExecutor workers;
    private final ScanProgress progress;
    private final int pageSize;
    private final int pagesInFlight;

    ScanScoring(ScanRepository scans, ListingRepository listings, FindingRepository findings,
                ReferenceImages references, InfringementScorer scorer, WorkerExecutor workers, ScanProgress progress,
                int pageSize, int pagesInFlight) {
        this.scans = scans;
        this.listings = listings;
        this.findings = findings;
        this.references = references;
        this.scorer = scorer;
        this.workers = workers;
        this.progress = progress;
        this.pageSize = pageSize;
        this.pagesInFlight = pagesInFlight;
    }

    /** Handles one message; succeeds once the outcome is durable (or there was nothing to do). */
    Future<Void> handle(AiMessage message) {
        return scans.get(message.clientId(), message.scanId()).compose(found -> {
            if (found.isEmpty()) {
                LOG.warn("ai message for a missing scan dropped client_id={} scan_id={}", message.clientId(),
                        message.scanId());
                return Future.succeededFuture();
            }
            Scan scan = found.get();
            if (scan.state().isTerminal()) {
                LOG.info("scan already {} client_id={} scan_id={}: nothing to score", scan.state().wireName(),
                        scan.clientId(), scan.id());
                return Future.succeededFuture();
            }
            if (scan.state() != ScanState.SCORING) {
                // Not committed yet: the commit enqueues after its flip, so this is a race; retry later.
                return Future.failedFuture(new IllegalStateException("scan " + scan.id() + " is "
                        + scan.state().wireName() + ", not scoring"));
            }
            if (!message.batch().toString().equals(scan.committedBatch())) {
                LOG.warn("stale ai message dropped scan_id={} batch={} committed_batch={}", scan.id(),
                        message.batch(), scan.committedBatch());
                return Future.succeededFuture();
            }
            return score(scan);
        });
    }

    private Future<Void> score(Scan scan) {
        return scans.brand(scan.clientId(), scan.id()).compose(snapshot -> {
            if (snapshot.isEmpty()) {
                return failScan(scan, "the scan has no brand snapshot to score against");
            }
            JsonObject brand = snapshot.get();
            // Only the brand's preparation can fail for a configuration reason; that will not get
            // better by retrying, so it fails the scan. Anything later is retried by redelivery.
            return prepare(scan, brand).transform(prepared -> {
                if (prepared.failed()) {
                    Throwable error = prepared.cause();
                    return error instanceof IllegalArgumentException
                            ? failScan(scan, "brand configuration: " + ReferenceImages.describe(error))
                            : Future.failedFuture(error);
                }
                PreparedBrand brandReady = prepared.result();
                return scorePages(scan, brandReady,
                        listings.committedListings(scan.clientId(), scan.id(), null, pageSize), new ArrayDeque<>(),
                        new Totals(0, 0, 0))
                        .compose(totals -> complete(scan, brandReady, totals));
            });
        });
    }

    /** The brand as the scorer needs it: references, text profile, price, sellers, weights, thresholds. */
    private Future<PreparedBrand> prepare(Scan scan, JsonObject brand) {
        BrandTerms terms;
        try {
            terms = BrandReference.brandTerms(brand.getMap());
        } catch (ScoringConfigException e) {
            return Future.failedFuture(e);
        }
        return references.prepare(scan.clientId(), scan.brandId(), brand).compose(prepared -> workers.executeBlocking(() -> {
            BrandReference reference = BrandReference.fromBrandDocument(scan.brandId(), brand.getMap(),
                    prepared.references(), scorer.textScorer().profile(terms));
            if (!prepared.problems().isEmpty()) {
                LOG.warn("scan_id={} scored without {} reference image(s): {}", scan.id(), prepared.problems().size(),
                        prepared.problems());
            }
            return new PreparedBrand(reference, List.copyOf(prepared.problems()),
                    new TitleScores(reference.text(), TITLES_KEPT));
        }, false));
    }

    /**
     * Scores the committed listings a page at a time, with up to {@code pagesInFlight} pages
     * being scored and written at once (one per worker thread) while the next page is read, so at
     * most {@code pagesInFlight + 1} pages are held. Keyset reads stay in order; each page's
     * findings are written as soon as it is scored.
     */
    private Future<Totals> scorePages(Scan scan, PreparedBrand brand, Future<List<JsonObject>> page,
                                      ArrayDeque<Future<Totals>> inFlight, Totals sofar) {
        return page.compose(docs -> {
            if (docs.isEmpty()) {
                return Future.all(List.copyOf(inFlight)).map(all -> {
                    Totals total = sofar;
                    for (Future<Totals> f : inFlight) {
                        total = total.plus(f.result());
                    }
                    return total;
                });
            }
            String last = docs.get(docs.size() - 1).getString("_id");
            inFlight.add(workers.executeBlocking(() -> scorePage(brand, docs), false)
                    .compose(scored -> findings.upsert(scan.clientId(), scan.id(), scored.drafts())
                            .map(written -> scored.totals())));
            // Wait for the oldest page when the window is full; it fails the whole run if it failed.
            Future<Totals> room = inFlight.size() < pagesInFlight ? Future.succeededFuture(new Totals(0, 0, 0))
                    : inFlight.poll();
            return room.compose(done -> scorePages(scan, brand,
                    // Not "fewer than page_size means last": the store may cap a page below page_size.
                    listings.committedListings(scan.clientId(), scan.id(), last, pageSize), inFlight, sofar.plus(done)));
        });
    }

    /** Blocking: parses the documents and runs the scorer (MiniLM inference for the titles). */
    private ScoredPage scorePage(PreparedBrand brand, List<JsonObject> docs) {
        List<CommittedListing> parsed = new ArrayList<>(docs.size());
        for (JsonObject doc : docs) {
            try {
                parsed.add(CommittedListing.of(doc));
            } catch (IllegalArgumentException e) {
                LOG.warn("committed listing without a url skipped id={}", doc.getValue("_id"));
            }
        }
        List<InfringementScore> scores = scorer.scoreAll(parsed.stream().map(CommittedListing::evidence).toList(),
                brand.reference(), brand.titles());
        List<FindingDraft> drafts = new ArrayList<>(parsed.size());
        long infringing = 0;
        long withoutImage = 0;
        for (int i = 0; i < parsed.size(); i++) {
            InfringementScore score = scores.get(i);
            CommittedListing listing = parsed.get(i);
            drafts.add(new FindingDraft(listing.url(), score.probability(), ScoreJson.toJson(score), listing.snapshot()));
            infringing += score.infringing() ? 1 : 0;
            withoutImage += listing.hasImage() ? 0 : 1;
        }
        return new ScoredPage(drafts, new Totals(parsed.size(), infringing, withoutImage));
    }

    private Future<Void> complete(Scan scan, PreparedBrand brand, Totals totals) {
        BrandReference reference = brand.reference();
        return scans.get(scan.clientId(), scan.id()).compose(current -> {
            if (current.isEmpty() || current.get().state() != ScanState.SCORING) {
                return Future.succeededFuture(Optional.<Scan>empty());
            }
            ScanCounts counts = current.get().counts();
            ScanCounts missing = new ScanCounts(0, 0, 0, 0, Math.max(0, totals.scored() - counts.scored()),
                    Math.max(0, totals.infringing() - counts.findings()));
            Future<Boolean> counted = missing.isZero() ? Future.succeededFuture(true)
                    : scans.incrementCounts(scan.clientId(), scan.id(), missing);
            return counted.compose(ok -> scans.transition(scan.clientId(), scan.id(), Set.of(ScanState.SCORING),
                    ScanState.COMPLETE));
        }).compose(moved -> {
            LOG.info("scan scored client_id={} scan_id={} scored={} infringing={} without_image={} references={}",
                    scan.clientId(), scan.id(), totals.scored(), totals.infringing(), totals.withoutImage(),
                    reference.images().size());
            if (moved.isEmpty()) {
                return Future.succeededFuture(); // completed, cancelled or failed meanwhile: the findings stand
            }
            return progress.report(moved.get(), ScanEvent.Type.STATE, "scored " + totals.scored() + " listings ("
                    + totals.withoutImage() + " on text alone), " + totals.infringing() + " infringing, against "
                    + reference.images().size() + " reference image(s)"
                    + (brand.leftOut().isEmpty() ? "" : "; left out: " + String.join("; ", brand.leftOut())));
        });
    }

    /** Fails the scan for good with {@code reason}; the message is then done. */
    Future<Void> failScan(Scan scan, String reason) {
        LOG.warn("scan failed in ai phase client_id={} scan_id={} reason={}", scan.clientId(), scan.id(), reason);
        return scans.fail(scan.clientId(), scan.id(), reason).compose(failed -> failed.isEmpty()
                ? Future.succeededFuture()
                : progress.report(failed.get(), ScanEvent.Type.FAILURE, reason));
    }
}
