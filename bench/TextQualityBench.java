import io.brandscan.embedding.text.BrandTerms;
import io.brandscan.embedding.text.BrandTextProfile;
import io.brandscan.embedding.text.CommonWords;
import io.brandscan.embedding.text.EditDistance;
import io.brandscan.embedding.text.LexicalMatch;
import io.brandscan.embedding.text.LexicalMatcher;
import io.brandscan.embedding.text.SentenceEmbedder;
import io.brandscan.embedding.text.TextScore;
import io.brandscan.embedding.text.TextScorer;
import io.brandscan.embedding.text.TextScoringSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Quality benchmark for brand-name text matching (not a test: it measures, it does not assert).
 *
 * <p>Generates, with a fixed seed, listing titles for 39 brands (multi-word, short and
 * everyday-word names among them): positives (exact, upper case, configured misspellings, random
 * 1-2 edit misspellings that do not spell an English word, homoglyphs, leetspeak, spaced-out,
 * glued to a word, name with a product line, product line without the name) and negatives (other brands' titles, competitors in the
 * same category among them; unrelated titles; brand-less titles of the same category; real
 * English words one or two edits from the brand; ordinary uses of short names). Every title is
 * scored against every brand. Reports precision and recall of the lexical, embedding and combined
 * scores at their configured thresholds, recall at precision 0.99, and recall per variant.
 *
 * <p>Run from the project root (the classpath goes through the environment: ONNX Runtime 1.29
 * crashes at start-up when the JVM command line is very long):
 * <pre>
 * mvn -B -o -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt \
 *   && CLASSPATH="target/classes:$(cat target/classpath.txt)" java -Dai.djl.offline=true bench/TextQualityBench.java
 * </pre>
 * Writes bench/results/text-quality.md.
 */
public class TextQualityBench {

    record Brand(String name, String category, List<String> misspellings, List<String> keywords) {
    }

    /** One (title, brand) pair with its label and the kind of variant or negative it is. */
    record Sample(String title, Brand brand, boolean positive, String kind) {
    }

    record Scored(Sample sample, double lexical, double embedding, double combined, String rule) {
    }

    static final Map<String, String> CATEGORY_DESCRIPTION = Map.of(
            "sneakers", "athletic shoes, sneakers and sportswear",
            "fashion", "clothing, jeans, t-shirts and casual fashion",
            "luxury", "luxury handbags, leather goods and designer fashion",
            "eyewear", "sunglasses and eyewear",
            "watches", "wrist watches",
            "electronics", "consumer electronics, phones and headphones",
            "toys", "toys and building sets",
            "outdoor", "outdoor jackets, parkas and boots");

    static final Map<String, List<String>> CATEGORY_PRODUCTS = Map.of(
            "sneakers", List.of("running shoes", "sneakers", "trainers", "basketball shoes", "track jacket"),
            "fashion", List.of("t-shirt", "hoodie", "denim jeans", "crew neck sweater", "summer dress"),
            "luxury", List.of("leather handbag", "tote bag", "wallet", "silk scarf", "crossbody bag"),
            "eyewear", List.of("sunglasses", "polarized sunglasses", "aviator glasses", "optical frames"),
            "watches", List.of("automatic watch", "chronograph watch", "dive watch", "stainless steel watch"),
            "electronics", List.of("wireless headphones", "smartphone", "earbuds", "bluetooth speaker", "tablet"),
            "toys", List.of("building set", "brick set", "construction toy", "minifigure pack"),
            "outdoor", List.of("down jacket", "parka", "fleece jacket", "winter boots", "rain jacket"));

    static final List<String> TEMPLATES = List.of(
            "%s %s size 10 brand new",
            "Authentic %s %s new with tags",
            "%s %s - fast free shipping",
            "Original %s %s limited edition",
            "Men's %s %s black",
            "Women's %s %s sale");

    static final List<Brand> BRANDS = List.of(
            new Brand("Nike", "sneakers", List.of("Nikey"), List.of("Air Max", "Air Force 1", "Jordan")),
            new Brand("Adidas", "sneakers", List.of("Addidas"), List.of("Ultraboost", "Yeezy", "Superstar")),
            new Brand("Puma", "sneakers", List.of(), List.of("Suede Classic", "RS-X")),
            new Brand("Reebok", "sneakers", List.of("Reebock"), List.of("Club C", "Classic Leather")),
            new Brand("New Balance", "sneakers", List.of(), List.of("990v5", "574")),
            new Brand("Asics", "sneakers", List.of(), List.of("Gel-Kayano", "Gel-Lyte")),
            new Brand("Vans", "sneakers", List.of(), List.of("Old Skool", "Sk8-Hi")),
            new Brand("Converse", "sneakers", List.of(), List.of("Chuck Taylor", "All Star")),
            new Brand("Under Armour", "sneakers", List.of("Under Armor"), List.of("HeatGear", "Curry")),
            new Brand("Skechers", "sneakers", List.of("Sketchers"), List.of("Go Walk", "D'Lites")),
            new Brand("On", "sneakers", List.of(), List.of("Cloudmonster", "Cloudswift", "Cloud 5")),
            new Brand("Gap", "fashion", List.of(), List.of("Gap Kids", "GapFit")),
            new Brand("Zara", "fashion", List.of(), List.of("Zara Woman", "TRF")),
            new Brand("Uniqlo", "fashion", List.of(), List.of("Heattech", "Airism")),
            new Brand("Levi's", "fashion", List.of("Levis"), List.of("501", "Trucker Jacket")),
            new Brand("Gucci", "luxury", List.of("Guccy"), List.of("Marmont", "Dionysus", "GG Supreme")),
            new Brand("Louis Vuitton", "luxury", List.of("Louis Vuiton"), List.of("Neverfull", "Speedy", "Monogram")),
            new Brand("Prada", "luxury", List.of(), List.of("Re-Edition", "Galleria")),
            new Brand("Chanel", "luxury", List.of("Chanell"), List.of("Classic Flap", "Boy Bag")),
            new Brand("Hermès", "luxury", List.of("Hermes"), List.of("Birkin", "Kelly")),
            new Brand("Dior", "luxury", List.of(), List.of("Lady Dior", "Saddle Bag", "Book Tote")),
            new Brand("Burberry", "luxury", List.of("Burbery"), List.of("Nova Check", "trench coat")),
            new Brand("Balenciaga", "luxury", List.of(), List.of("Triple S", "Le Cagole")),
            new Brand("Michael Kors", "luxury", List.of("Micheal Kors"), List.of("Jet Set", "MK")),
            new Brand("Coach", "luxury", List.of(), List.of("Tabby", "Willow", "Signature canvas")),
            new Brand("Guess", "fashion", List.of(), List.of("Guess Jeans", "Marciano")),
            new Brand("Ray-Ban", "eyewear", List.of("Rayban", "Ray Bann"), List.of("Wayfarer", "Aviator Classic", "Clubmaster")),
            new Brand("Oakley", "eyewear", List.of("Okley"), List.of("Holbrook", "Radar EV", "Frogskins")),
            new Brand("Rolex", "watches", List.of("Rollex"), List.of("Submariner", "Datejust", "Daytona")),
            new Brand("Omega", "watches", List.of(), List.of("Seamaster", "Speedmaster", "Constellation")),
            new Brand("Casio", "watches", List.of(), List.of("G-Shock", "Edifice")),
            new Brand("Samsung", "electronics", List.of("Samsumg"), List.of("Galaxy", "Galaxy Buds")),
            new Brand("Apple", "electronics", List.of(), List.of("iPhone", "AirPods", "MacBook")),
            new Brand("Sony", "electronics", List.of(), List.of("WH-1000XM5", "PlayStation", "Walkman")),
            new Brand("Bose", "electronics", List.of(), List.of("QuietComfort", "SoundLink")),
            new Brand("Lego", "toys", List.of(), List.of("Technic", "Duplo", "Ninjago")),
            new Brand("The North Face", "outdoor", List.of("North Fase"), List.of("Nuptse", "Denali")),
            new Brand("Canada Goose", "outdoor", List.of(), List.of("Expedition Parka", "Chilliwack")),
            new Brand("Patagonia", "outdoor", List.of("Patagucci"), List.of("Better Sweater", "Nano Puff")));

    static final List<String> UNRELATED = List.of(
            "Stainless steel electric kettle 1.7L", "Cast iron skillet 12 inch pre-seasoned",
            "Organic green tea 100 bags", "USB-C charging cable 2m braided", "Yoga mat non slip 6mm",
            "Garden hose 50 ft expandable", "LED desk lamp with dimmer", "Ceramic coffee mug set of 4",
            "Dog leash reflective nylon", "Bamboo cutting board large", "Phone case for iPhone 13 clear",
            "Wooden puzzle 1000 pieces landscape", "Memory foam pillow queen", "Cordless drill 18V with battery",
            "Vintage vinyl record player", "Kids bicycle 16 inch with training wheels", "Scented soy candle lavender",
            "Portable air pump for tires", "Wall clock modern silent", "Acrylic paint set 24 colors",
            "Hiking backpack 40L waterproof", "Baby stroller lightweight foldable", "Car phone holder magnetic",
            "Kitchen knife set with block", "Electric toothbrush rechargeable", "Bluetooth meat thermometer",
            "Shower curtain waterproof fabric", "Notebook A5 dotted 120 pages", "Camping tent 4 person",
            "Bath towel set cotton 6 pieces", "Mechanical keyboard RGB blue switches", "Plant pot ceramic 8 inch",
            "Resistance bands set of 5", "Hair dryer ionic 1800W", "Microwave oven 20L white",
            "Board game family strategy", "Wireless mouse ergonomic", "Laundry basket with lid",
            "Watercolor brush set", "Sewing machine beginner");

    /** Ordinary uses of short or everyday-word brand names: negatives for those brands. */
    static final Map<String, List<String>> ORDINARY_USES = Map.of(
            "On", List.of("Shoes on sale today only", "Slip on loafers leather", "Put on hoodie for men", "Clip on earrings gold"),
            "Gap", List.of("Mind the gap t-shirt", "Gap year travel journal", "Door gap filler seal strip", "Spark plug gap tool"),
            "Coach", List.of("Coach bus toy model", "Soccer coach whistle", "Life coach planner notebook", "Coach seat cushion"),
            "Guess", List.of("Guess who board game", "Guess the song party cards", "Take a guess puzzle book"),
            "Apple", List.of("Apple peeler and corer", "Fresh apple cider vinegar", "Apple pie baking dish", "Apple tree seedling"),
            "Omega", List.of("Omega 3 fish oil capsules", "Omega-3 supplement 1000mg"),
            "Zara", List.of("Zara name necklace personalized"),
            "Lego", List.of());

    static final Map<Character, String> HOMOGLYPHS = Map.ofEntries(
            Map.entry('a', "аα"), Map.entry('e', "еε"), Map.entry('o', "оο"), Map.entry('p', "рρ"),
            Map.entry('c', "сϲ"), Map.entry('x', "хχ"), Map.entry('y', "уγ"), Map.entry('i', "іıι"),
            Map.entry('s', "ѕ"), Map.entry('j', "ј"), Map.entry('k', "κк"), Map.entry('A', "АΑ"),
            Map.entry('B', "ВΒ"), Map.entry('E', "ЕΕ"), Map.entry('H', "НΗ"), Map.entry('K', "КΚ"),
            Map.entry('M', "МΜ"), Map.entry('N', "Ν"), Map.entry('O', "ОΟ"), Map.entry('P', "РΡ"),
            Map.entry('T', "ТΤ"), Map.entry('C', "СϹ"), Map.entry('X', "ХΧ"), Map.entry('I', "ІΙ"),
            Map.entry('S', "Ѕ"), Map.entry('u', "υ"));

    static final Map<Character, String> LEET = Map.of(
            'a', "4@", 'e', "3", 'i', "1!", 'o', "0", 's', "5$", 't', "7", 'l', "1", 'g', "9", 'b', "8");

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Random rnd = new Random(20261122L);
        CommonWords words = CommonWords.bertVocabulary();
        List<String> vocabulary = readVocabulary();

        Map<Brand, List<Sample>> positives = new LinkedHashMap<>();
        for (Brand b : BRANDS) {
            positives.put(b, positives(b, rnd, words));
        }
        List<Sample> samples = new ArrayList<>();
        for (Brand b : BRANDS) {
            samples.addAll(positives.get(b));
            for (Brand other : BRANDS) {
                if (other == b) {
                    continue;
                }
                String kind = other.category.equals(b.category) ? "neg: competitor (same category)" : "neg: other brand";
                for (Sample s : positives.get(other)) {
                    if (s.kind.equals("pos: exact") || s.kind.equals("pos: misspelling 1 edit")) {
                        samples.add(new Sample(s.title, b, false, kind));
                    }
                }
            }
            for (String u : UNRELATED) {
                samples.add(new Sample(u, b, false, "neg: unrelated"));
            }
            List<String> products = CATEGORY_PRODUCTS.get(b.category);
            for (int i = 0; i < 4; i++) {
                samples.add(new Sample(String.format(TEMPLATES.get(rnd.nextInt(TEMPLATES.size())), "",
                        products.get(rnd.nextInt(products.size()))).strip(), b, false, "neg: same category, no brand"));
            }
            for (String near : nearWords(b, vocabulary, rnd)) {
                samples.add(new Sample(title(near, b, rnd), b, false, "neg: real word near the name"));
            }
            for (String use : ORDINARY_USES.getOrDefault(b.name, List.of())) {
                samples.add(new Sample(use, b, false, "neg: ordinary use of short name"));
            }
        }

        SentenceEmbedder embedder = SentenceEmbedder.miniLm();
        TextScorer scorer = new TextScorer(new LexicalMatcher(), embedder, TextScoringSettings.defaults());
        Map<Brand, BrandTextProfile> profiles = new HashMap<>();
        for (Brand b : BRANDS) {
            profiles.put(b, scorer.profile(terms(b)));
        }
        long t0 = System.nanoTime();
        Map<String, float[]> titleVectors = embedAll(embedder, samples);
        long tEmbed = System.nanoTime();
        LexicalMatcher lexical = new LexicalMatcher();
        List<Scored> scored = new ArrayList<>();
        for (Sample s : samples) {
            LexicalMatch lex = lexical.match(s.title, profiles.get(s.brand).lexicon());
            double cosine = SentenceEmbedder.cosine(titleVectors.get(s.title), brandVector(embedder, profiles, s.brand));
            TextScore score = scorer.combine(lex, cosine, true);
            scored.add(new Scored(s, score.lexicalScore(), score.embeddingScore(), score.score(), score.rule().name()));
        }
        long tScore = System.nanoTime();
        String report = report(scored, scorer.settings(), titleVectors.size(), (tEmbed - t0) / 1e9, (tScore - tEmbed) / 1e9);
        System.out.println(report);
        Path out = Path.of("bench/results/text-quality.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Wrote " + out);
    }

    static final Map<Brand, float[]> BRAND_VECTORS = new HashMap<>();

    static float[] brandVector(SentenceEmbedder embedder, Map<Brand, BrandTextProfile> profiles, Brand b) {
        return BRAND_VECTORS.computeIfAbsent(b, x -> embedder.embed(profiles.get(x).terms().profileText()));
    }

    static BrandTerms terms(Brand b) {
        return new BrandTerms(List.of(b.name), b.misspellings, b.keywords, CATEGORY_DESCRIPTION.get(b.category));
    }

    static Map<String, float[]> embedAll(SentenceEmbedder embedder, List<Sample> samples) {
        return embedder.embedDistinct(samples.stream().map(Sample::title).toList());
    }

    static List<Sample> positives(Brand b, Random rnd, CommonWords words) {
        List<Sample> out = new ArrayList<>();
        String name = b.name;
        out.add(new Sample(title(name, b, rnd), b, true, "pos: exact"));
        out.add(new Sample(title(name.toUpperCase(Locale.ROOT), b, rnd), b, true, "pos: upper case"));
        String compact = name.replaceAll("[^\\p{L}]", "");
        boolean shortName = compact.length() <= 3;
        if (!shortName) {
            for (int k = 0; k < 2; k++) {
                String m = misspell(name, 1, rnd, words);
                if (m != null) {
                    out.add(new Sample(title(m, b, rnd), b, true, "pos: misspelling 1 edit"));
                }
            }
            if (compact.length() >= 5) {
                String m = misspell(name, 2, rnd, words);
                if (m != null) {
                    out.add(new Sample(title(m, b, rnd), b, true, "pos: misspelling 2 edits"));
                }
            }
            out.add(new Sample(title(leet(name, rnd), b, rnd), b, true, "pos: leetspeak"));
            out.add(new Sample(title(spaced(name, rnd), b, rnd), b, true, "pos: spaced out"));
            List<String> products = CATEGORY_PRODUCTS.get(b.category);
            String glued = name.replace(" ", "").toLowerCase(Locale.ROOT)
                    + products.get(rnd.nextInt(products.size())).split(" ")[0];
            out.add(new Sample(glued + " new in box", b, true, "pos: glued to a word"));
        }
        out.add(new Sample(title(homoglyph(name, rnd), b, rnd), b, true, "pos: homoglyph"));
        for (Sample m : List.copyOf(out)) {
            if (!b.misspellings.isEmpty() && m.kind.equals("pos: exact")) {
                out.add(new Sample(title(b.misspellings.get(rnd.nextInt(b.misspellings.size())), b, rnd), b, true,
                        "pos: known misspelling"));
            }
        }
        // The product line alone ("Birkin bag", "Air Jordan"): a trademark use without the name.
        String line = b.keywords.get(rnd.nextInt(b.keywords.size()));
        if (line.replaceAll("[^A-Za-z]", "").length() >= 4) {
            out.add(new Sample(title(line, b, rnd), b, true, "pos: product line without the name"));
        }
        // The brand's own product line with the name: the usual counterfeit listing.
        String kw = b.keywords.get(rnd.nextInt(b.keywords.size()));
        out.add(new Sample(name + " " + kw + " " + CATEGORY_PRODUCTS.get(b.category).get(0), b, true, "pos: name with keyword"));
        return out;
    }

    static String title(String brandText, Brand b, Random rnd) {
        List<String> products = CATEGORY_PRODUCTS.get(b.category);
        String product = products.get(rnd.nextInt(products.size()));
        return String.format(TEMPLATES.get(rnd.nextInt(TEMPLATES.size())), brandText, product);
    }

    /** {@code edits} random typing edits; null when every try gave an English word or the name itself. */
    static String misspell(String name, int edits, Random rnd, CommonWords words) {
        for (int attempt = 0; attempt < 50; attempt++) {
            StringBuilder s = new StringBuilder(name);
            for (int e = 0; e < edits; e++) {
                int i = letterIndex(s, rnd);
                switch (rnd.nextInt(4)) {
                    case 0 -> s.setCharAt(i, (char) ('a' + rnd.nextInt(26)));
                    case 1 -> s.insert(i, s.charAt(i));
                    case 2 -> s.deleteCharAt(i);
                    default -> {
                        if (i + 1 < s.length() && Character.isLetter(s.charAt(i + 1))) {
                            char c = s.charAt(i);
                            s.setCharAt(i, s.charAt(i + 1));
                            s.setCharAt(i + 1, c);
                        } else {
                            s.setCharAt(i, (char) ('a' + rnd.nextInt(26)));
                        }
                    }
                }
            }
            String m = s.toString();
            String folded = m.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            int distance = EditDistance.osa(name.toLowerCase(Locale.ROOT), m.toLowerCase(Locale.ROOT));
            // A typo that spells a real word is not a misspelling of the brand any more.
            if (distance == edits && !words.contains(folded)) {
                return m;
            }
        }
        return null;
    }

    static int letterIndex(CharSequence s, Random rnd) {
        while (true) {
            int i = rnd.nextInt(s.length());
            if (Character.isLetter(s.charAt(i))) {
                return i;
            }
        }
    }

    static String homoglyph(String name, Random rnd) {
        StringBuilder s = new StringBuilder(name);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (HOMOGLYPHS.containsKey(s.charAt(i))) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            // Full-width forms work for any Latin name.
            StringBuilder w = new StringBuilder();
            name.chars().forEach(c -> w.append(c >= '!' && c <= '~' ? (char) (c - '!' + 0xFF01) : (char) c));
            return w.toString();
        }
        int n = 1 + rnd.nextInt(Math.min(2, candidates.size()));
        for (int k = 0; k < n; k++) {
            int i = candidates.get(rnd.nextInt(candidates.size()));
            String options = HOMOGLYPHS.get(name.charAt(i));
            s.setCharAt(i, options.charAt(rnd.nextInt(options.length())));
        }
        return s.toString();
    }

    static String leet(String name, Random rnd) {
        StringBuilder s = new StringBuilder(name);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (LEET.containsKey(Character.toLowerCase(s.charAt(i)))) {
                candidates.add(i);
            }
        }
        if (candidates.isEmpty()) {
            return name;
        }
        int n = 1 + rnd.nextInt(Math.min(2, candidates.size()));
        for (int k = 0; k < n; k++) {
            int i = candidates.get(rnd.nextInt(candidates.size()));
            String options = LEET.get(Character.toLowerCase(name.charAt(i)));
            s.setCharAt(i, options.charAt(rnd.nextInt(options.length())));
        }
        return s.toString();
    }

    static String spaced(String name, Random rnd) {
        String letters = name.replace(" ", "");
        return switch (rnd.nextInt(3)) {
            case 0 -> String.join(" ", letters.split(""));
            case 1 -> String.join(".", letters.split("")) + ".";
            default -> {
                int cut = Math.max(1, letters.length() / 2);
                yield letters.substring(0, cut) + "-" + letters.substring(cut);
            }
        };
    }

    /** Real English words one or two edits from the brand's one-word name. */
    static List<String> nearWords(Brand b, List<String> vocabulary, Random rnd) {
        // Fold accents first: "hermes" is the brand Hermès itself, not a near word.
        String compact = java.text.Normalizer.normalize(b.name, java.text.Normalizer.Form.NFD)
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        if (b.name.contains(" ") || compact.length() < 4) {
            return List.of();
        }
        int max = compact.length() >= 6 ? 2 : 1;
        List<String> near = new ArrayList<>();
        for (String w : vocabulary) {
            if (!w.equals(compact) && Math.abs(w.length() - compact.length()) <= max
                    && EditDistance.osaWithin(w, compact, max) <= max) {
                near.add(w);
            }
        }
        java.util.Collections.shuffle(near, rnd);
        return near.subList(0, Math.min(4, near.size()));
    }

    static List<String> readVocabulary() throws Exception {
        List<String> words = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TextQualityBench.class.getClassLoader().getResourceAsStream("bert-vocabulary-en.txt"),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.length() >= 3 && line.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
                    words.add(line);
                }
            }
        }
        return words;
    }

    // ---------------------------------------------------------------- report

    static final int LIMIT = Integer.getInteger("errors", 25);

    interface Part {
        double of(Scored s);
    }

    static String report(List<Scored> scored, TextScoringSettings settings, int titles, double embedSeconds,
                         double scoreSeconds) {
        long pos = scored.stream().filter(s -> s.sample.positive).count();
        long neg = scored.size() - pos;
        StringBuilder b = new StringBuilder();
        b.append("# Text matching quality\n\n");
        b.append(String.format(Locale.ROOT, "%d brands, %d (title, brand) pairs: %d positive, %d negative; "
                + "%d distinct titles embedded in %.1f s (%.1f ms per title, batches of %d, one thread); "
                + "lexical matching and scoring in %.2f s (%.0f µs per pair).%n%n",
                BRANDS.size(), scored.size(), pos, neg, titles, embedSeconds, embedSeconds * 1000 / titles,
                settings.maxBatch(), scoreSeconds, scoreSeconds * 1e6 / scored.size()));
        b.append("| score | threshold | precision | recall | recall at precision 0.99 | threshold for it |\n");
        b.append("|---|---|---|---|---|---|\n");
        row(b, "lexical", scored, s -> s.lexical, settings.lexicalThreshold());
        row(b, "embedding", scored, s -> s.embedding, settings.embeddingThreshold());
        row(b, "combined", scored, s -> s.combined, settings.combinedThreshold());
        b.append("\n## Combined score under other weights (embedding weight w, lexical 1 - w)\n\n");
        b.append("| embedding weight | threshold | precision | recall | recall at precision 0.99 | threshold for it |\n");
        b.append("|---|---|---|---|---|---|\n");
        for (double w : new double[] {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) {
            TextScoringSettings alt = new TextScoringSettings(1 - w, w, settings.cosineFloor(), settings.cosineCeiling(),
                    settings.lexicalThreshold(), settings.embeddingThreshold(), settings.combinedThreshold(),
                    settings.ambiguousConfirmEmbedding(), settings.maxBatch());
            row(b, String.format(Locale.ROOT, "%.1f", w), scored, x -> alt.combine(x.lexical, x.embedding),
                    settings.combinedThreshold());
        }
        b.append("\n## Recall per positive variant, negatives passed per kind (at the thresholds above)\n\n");
        b.append("| kind | pairs | lexical | embedding | combined |\n|---|---|---|---|---|\n");
        Map<String, List<Scored>> byKind = new TreeMap<>(Comparator.reverseOrder());
        for (Scored s : scored) {
            byKind.computeIfAbsent(s.sample.kind, k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<Scored>> e : byKind.entrySet()) {
            List<Scored> list = e.getValue();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", e.getKey(), list.size(),
                    rate(list, s -> s.lexical, settings.lexicalThreshold()),
                    rate(list, s -> s.embedding, settings.embeddingThreshold()),
                    rate(list, s -> s.combined, settings.combinedThreshold())));
        }
        b.append("\n## Combined-score errors (first 25 of each)\n\n");
        b.append("Missed positives:\n\n");
        scored.stream().filter(s -> s.sample.positive && s.combined < settings.combinedThreshold()).limit(LIMIT)
                .forEach(s -> b.append(String.format(Locale.ROOT, "- `%s` for %s (%s): lexical %.2f, embedding %.2f, rule %s%n",
                        s.sample.title, s.sample.brand.name, s.sample.kind, s.lexical, s.embedding, s.rule)));
        b.append("\nHighest-scoring negatives (combined):\n\n");
        scored.stream().filter(s -> !s.sample.positive).sorted(Comparator.comparingDouble((Scored s) -> s.combined).reversed())
                .limit(12).forEach(s -> b.append(String.format(Locale.ROOT, "- %.3f `%s` for %s (%s): lexical %.2f, embedding %.2f, rule %s%n",
                        s.combined, s.sample.title, s.sample.brand.name, s.sample.kind, s.lexical, s.embedding, s.rule)));
        b.append("\nFalse positives:\n\n");
        scored.stream().filter(s -> !s.sample.positive && s.combined >= settings.combinedThreshold()).limit(LIMIT)
                .forEach(s -> b.append(String.format(Locale.ROOT, "- `%s` for %s (%s): lexical %.2f, embedding %.2f, rule %s%n",
                        s.sample.title, s.sample.brand.name, s.sample.kind, s.lexical, s.embedding, s.rule)));
        return b.toString();
    }

    static String rate(List<Scored> list, Part part, double threshold) {
        long hit = list.stream().filter(s -> part.of(s) >= threshold).count();
        return String.format(Locale.ROOT, "%.3f", (double) hit / list.size());
    }

    static void row(StringBuilder b, String name, List<Scored> scored, Part part, double threshold) {
        long tp = scored.stream().filter(s -> s.sample.positive && part.of(s) >= threshold).count();
        long fp = scored.stream().filter(s -> !s.sample.positive && part.of(s) >= threshold).count();
        long pos = scored.stream().filter(s -> s.sample.positive).count();
        double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        double recall = (double) tp / pos;
        double[] atP = recallAtPrecision(scored, part, 0.99);
        b.append(String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.3f | %.3f | %s |%n", name, threshold, precision,
                recall, atP[0], Double.isNaN(atP[1]) ? "n/a" : String.format(Locale.ROOT, "%.3f", atP[1])));
    }

    /** Highest recall over thresholds whose precision is at least {@code target}, and that threshold. */
    static double[] recallAtPrecision(List<Scored> scored, Part part, double target) {
        List<Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble((Scored s) -> part.of(s)).reversed());
        long pos = scored.stream().filter(s -> s.sample.positive).count();
        long tp = 0;
        long fp = 0;
        double bestRecall = 0;
        double bestThreshold = Double.NaN;
        for (int i = 0; i < sorted.size(); i++) {
            Scored s = sorted.get(i);
            if (s.sample.positive) {
                tp++;
            } else {
                fp++;
            }
            // Only cut between distinct scores: ties pass or fail together.
            boolean boundary = i + 1 == sorted.size() || part.of(sorted.get(i + 1)) < part.of(s);
            if (boundary && (double) tp / (tp + fp) >= target && (double) tp / pos > bestRecall) {
                bestRecall = (double) tp / pos;
                bestThreshold = part.of(s);
            }
        }
        return new double[] {bestRecall, bestThreshold};
    }
}
