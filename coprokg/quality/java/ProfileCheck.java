/*
 * OWL 2 DL profile check with the OWL API (the checker Protégé uses).
 *
 * Usage: java -cp CLASSPATH ProfileCheck ONTOLOGY_FILE [CATALOG_XML]
 *
 * Loads ONTOLOGY_FILE as Turtle (only the OWL API's own Turtle parser is
 * tried). Imports are resolved offline only: an IRI found in the catalog
 * (OASIS XML catalog, Protégé's catalog-v001.xml: <uri> and <rewriteURI>) is
 * mapped to its local file; file: IRIs are read as they are; every other IRI,
 * and any catalog target that is not a local file, is mapped to a local path
 * that cannot exist, so no network access ever happens. Such imports are
 * handled with MissingImportHandlingStrategy.SILENT and listed in
 * "missing_imports" (which also makes the exit status 1).
 *
 * Counts are for the root ontology without its imports; the profile check and
 * the unparsed triples cover the imports closure.
 *
 * "unparsed_triples" are the RDFParserMetaData unparsed triples the loader
 * attaches to the OWLDocumentFormat. That list misses leftovers the RDF
 * consumer keeps in its single-valued predicate maps (e.g. an owl:onProperty
 * or owl:someValuesFrom triple of a broken restriction), which the OWL API
 * only logs ("Unparsed triple: ..."). Those log lines are captured through
 * slf4j-jdk14 / java.util.logging and reported verbatim in
 * "unparsed_triples_logged" (they overlap the first list; their component
 * order is whatever the OWL API logs).
 *
 * Prints one JSON object on stdout. Exit status: 0 = no profile violation, no
 * unparsed triple (either list) and no missing import; 1 = otherwise; 2 = the
 * file cannot be loaded or the arguments are wrong (one line on stderr); 3 =
 * the OWL API (or this program) crashed, e.g. inside the profile checker or
 * on a missing jar (one line on stderr).
 */

import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.OWLParserException;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.io.UnparsableOntologyException;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public final class ProfileCheck {

    static final int EXIT_CONFORMS = 0;
    static final int EXIT_NOT_CONFORMING = 1;
    static final int EXIT_LOAD_ERROR = 2;
    static final int EXIT_CHECK_CRASH = 3;

    private static final String UNPARSED_PREFIX = "Unparsed triple: ";
    private static final List<String> LOGGED_UNPARSED = Collections.synchronizedList(new ArrayList<>());
    /** Strong reference: java.util.logging only keeps loggers weakly. */
    private static Logger consumerLogger;

    static final String BLOCKED_PREFIX = "file:/dev/null/coprokg-offline-imports/";

    private ProfileCheck() {}

    /** Maps IRIs to local documents only; never lets the manager go online. */
    static final class OfflineIRIMapper implements OWLOntologyIRIMapper {
        private static final long serialVersionUID = 1L;
        private final Map<String, IRI> exact;
        private final List<String[]> rewrites; // {prefix, replacement}

        OfflineIRIMapper(Map<String, IRI> exact, List<String[]> rewrites) {
            this.exact = exact;
            this.rewrites = rewrites;
        }

        @Override
        public IRI getDocumentIRI(IRI ontologyIRI) {
            String s = ontologyIRI.toString();
            IRI mapped = exact.get(s);
            if (mapped != null) {
                return offlineOnly(mapped, s);
            }
            String[] best = null;
            for (String[] rw : rewrites) {
                if (s.startsWith(rw[0]) && (best == null || rw[0].length() > best[0].length())) {
                    best = rw;
                }
            }
            if (best != null) {
                return offlineOnly(IRI.create(best[1] + s.substring(best[0].length())), s);
            }
            if (s.startsWith("file:")) {
                return ontologyIRI;
            }
            return blocked("not-in-catalog", s);
        }

        /** A catalog entry pointing at a remote document is refused as well. */
        private static IRI offlineOnly(IRI target, String original) {
            return target.toString().startsWith("file:") ? target : blocked("catalog-target-not-local", original);
        }

        /**
         * A local document IRI that can never exist (/dev/null is not a
         * directory), so the OWL API fails at once, offline, with an I/O error
         * that MissingImportHandlingStrategy.SILENT turns into a missing import.
         * (An unknown URL scheme would not do: it raises an unchecked
         * OWLOntologyFactoryNotFoundException that SILENT does not handle.)
         */
        private static IRI blocked(String why, String original) {
            return IRI.create(BLOCKED_PREFIX + why + "/" + URLEncoder.encode(original, StandardCharsets.UTF_8));
        }

        static boolean isBlocked(IRI documentIRI) {
            return documentIRI != null && documentIRI.toString().startsWith(BLOCKED_PREFIX);
        }
    }

    /** Reads uri / rewriteURI entries of an OASIS XML catalog (Protégé's catalog-v001.xml). */
    static OfflineIRIMapper readCatalog(File catalog) throws Exception {
        Map<String, IRI> exact = new LinkedHashMap<>();
        List<String[]> rewrites = new ArrayList<>();
        if (catalog != null) {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            dbf.setExpandEntityReferences(false);
            dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder db = dbf.newDocumentBuilder();
            db.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                    throw e;
                }
            });
            Document doc = db.parse(catalog);
            URI base = catalog.getAbsoluteFile().toURI();
            walkCatalog(doc.getDocumentElement(), base, exact, rewrites);
        }
        return new OfflineIRIMapper(exact, rewrites);
    }

    private static void walkCatalog(Element el, URI base, Map<String, IRI> exact, List<String[]> rewrites) {
        String xmlBase = el.getAttributeNS(XMLConstants.XML_NS_URI, "base");
        if (!xmlBase.isEmpty()) {
            base = base.resolve(xmlBase);
        }
        String name = el.getLocalName() == null ? el.getTagName() : el.getLocalName();
        if ("uri".equals(name) && el.hasAttribute("name") && el.hasAttribute("uri")) {
            exact.put(el.getAttribute("name"), IRI.create(base.resolve(el.getAttribute("uri"))));
        } else if ("rewriteURI".equals(name) && el.hasAttribute("uriStartString") && el.hasAttribute("rewritePrefix")) {
            rewrites.add(new String[] {
                el.getAttribute("uriStartString"), base.resolve(el.getAttribute("rewritePrefix")).toString()});
        }
        NodeList children = el.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child.getNodeType() == Node.ELEMENT_NODE) {
                walkCatalog((Element) child, base, exact, rewrites);
            }
        }
    }

    // ---------------------------------------------------------------- JSON

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                case '\b': b.append("\\b"); break;
                case '\f': b.append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    static String array(List<String> items) {
        return items.isEmpty() ? "[]" : "[" + String.join(", ", items) + "]";
    }

    /** Collapses a (possibly multi-line) message into one line for stderr. */
    static String oneLine(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        msg = msg.replaceAll("\\s+", " ").trim();
        return msg.length() > 600 ? msg.substring(0, 600) + "..." : msg;
    }

    /** The parser's own complaint rather than the OWL API's multi-page summary. */
    static String loadFailure(Throwable t) {
        if (t instanceof UnparsableOntologyException) {
            List<String> parts = new ArrayList<>();
            for (OWLParserException pe : ((UnparsableOntologyException) t).getExceptions().values()) {
                parts.add(oneLine(pe));
            }
            if (!parts.isEmpty()) {
                return String.join(" | ", parts);
            }
        }
        return t.getClass().getSimpleName() + ": " + oneLine(t);
    }

    static String firstLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return oneLine(root);
    }

    // ------------------------------------------------------------- logging

    /** Silences all logging and keeps the OWL API's "Unparsed triple" lines. */
    static void installLogCapture() {
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.OFF);
        consumerLogger = Logger.getLogger("org.semanticweb.owlapi.rdf.rdfxml.parser.OWLRDFConsumer");
        consumerLogger.setUseParentHandlers(false);
        consumerLogger.setLevel(Level.INFO);
        consumerLogger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (m != null && m.startsWith(UNPARSED_PREFIX)) {
                    LOGGED_UNPARSED.add(m.substring(UNPARSED_PREFIX.length()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable t) { // NoClassDefFoundError, OutOfMemoryError, ...: never exit 1 without JSON
            System.err.println("ProfileCheck failed: " + t.getClass().getName() + ": " + oneLine(t));
            status = EXIT_CHECK_CRASH;
        }
        System.exit(status);
    }

    static int run(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: ProfileCheck ONTOLOGY_FILE [CATALOG_XML]");
            return EXIT_LOAD_ERROR;
        }
        File file = new File(args[0]);
        File catalog = args.length == 2 ? new File(args[1]) : null;
        if (!file.isFile()) {
            System.err.println("cannot load " + file + ": no such file");
            return EXIT_LOAD_ERROR;
        }
        if (catalog != null && !catalog.isFile()) {
            System.err.println("cannot read catalog " + catalog + ": no such file");
            return EXIT_LOAD_ERROR;
        }

        OfflineIRIMapper mapper;
        try {
            mapper = readCatalog(catalog);
        } catch (Exception e) {
            System.err.println("cannot read catalog " + catalog + ": " + oneLine(e));
            return EXIT_LOAD_ERROR;
        }

        installLogCapture();
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add(mapper);
        List<String> missingImports = Collections.synchronizedList(new ArrayList<>());
        manager.addMissingImportListener(ev -> {
            IRI doc = mapper.getDocumentIRI(ev.getImportedOntologyURI());
            String why = OfflineIRIMapper.isBlocked(doc)
                    ? (doc.toString().contains("catalog-target-not-local")
                            ? "catalog maps it to a non-local document; network access is disabled"
                            : "not in the catalog; network access is disabled")
                    : firstLine(ev.getCreationException());
            missingImports.add(ev.getImportedOntologyURI() + " (" + why + ")");
        });
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
                .setFollowRedirects(false);
        manager.setOntologyLoaderConfiguration(config);

        OWLOntology ont;
        try {
            ont = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(file, new TurtleDocumentFormat()), config);
        } catch (Exception | StackOverflowError e) {
            System.err.println("cannot load " + file + " as Turtle: " + loadFailure(e));
            return EXIT_LOAD_ERROR;
        }
        try {
            return report(out, manager, ont, missingImports);
        } catch (RuntimeException | StackOverflowError e) {
            System.err.println("OWL API failed while checking " + file + ": " + e.getClass().getSimpleName()
                    + ": " + oneLine(e));
            return EXIT_CHECK_CRASH;
        }
    }

    static int report(PrintStream out, OWLOntologyManager manager, OWLOntology ont, List<String> missingImports) {
        // Unparsed triples: root ontology first, then imported ones (prefixed).
        List<String> unparsed = new ArrayList<>();
        List<OWLOntology> closure = new ArrayList<>();
        closure.add(ont);
        ont.importsClosure().filter(o -> !o.getOntologyID().equals(ont.getOntologyID())).forEach(closure::add);
        for (int i = 0; i < closure.size(); i++) {
            OWLOntology o = closure.get(i);
            OWLDocumentFormat fmt = manager.getOntologyFormat(o);
            if (fmt == null) {
                continue;
            }
            Optional<OWLOntologyLoaderMetaData> meta = fmt.getOntologyLoaderMetaData();
            if (meta.isPresent() && meta.get() instanceof RDFParserMetaData) {
                String prefix = i == 0 ? "" : "[import " + o.getOntologyID().getOntologyIRI()
                        .map(IRI::toString).orElse("anonymous") + "] ";
                ((RDFParserMetaData) meta.get()).getUnparsedTriples()
                        .map(t -> prefix + t.toString()).sorted().forEach(unparsed::add);
            }
        }

        OWLProfileReport report = new OWL2DLProfile().checkOntology(ont);
        List<String> violations = new ArrayList<>();
        for (OWLProfileViolation v : report.getViolations()) {
            OWLAxiom ax = v.getAxiom();
            violations.add("{\"type\": " + quote(v.getClass().getSimpleName())
                    + ", \"axiom\": " + quote(ax == null ? null : ax.toString())
                    + ", \"message\": " + quote(v.toString()) + "}");
        }
        violations = violations.stream().distinct().sorted().collect(Collectors.toList());

        StringBuilder json = new StringBuilder("{");
        json.append("\"ontology_iri\": ")
                .append(quote(ont.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(null)));
        json.append(", \"version_iri\": ")
                .append(quote(ont.getOntologyID().getVersionIRI().map(IRI::toString).orElse(null)));
        json.append(", \"axiom_count\": ").append(ont.getAxiomCount());
        json.append(", \"logical_axiom_count\": ").append(ont.getLogicalAxiomCount());
        json.append(", \"class_count\": ").append(ont.classesInSignature().count());
        json.append(", \"object_property_count\": ").append(ont.objectPropertiesInSignature().count());
        json.append(", \"data_property_count\": ").append(ont.dataPropertiesInSignature().count());
        json.append(", \"annotation_property_count\": ").append(ont.annotationPropertiesInSignature().count());
        json.append(", \"individual_count\": ").append(ont.individualsInSignature().count());
        json.append(", \"unparsed_triples\": ")
                .append(array(unparsed.stream().map(ProfileCheck::quote).collect(Collectors.toList())));
        List<String> logged;
        synchronized (LOGGED_UNPARSED) {
            logged = LOGGED_UNPARSED.stream().distinct().sorted().map(ProfileCheck::quote)
                    .collect(Collectors.toList());
        }
        json.append(", \"unparsed_triples_logged\": ").append(array(logged));
        json.append(", \"missing_imports\": ")
                .append(array(missingImports.stream().sorted().map(ProfileCheck::quote).collect(Collectors.toList())));
        json.append(", \"profile\": ").append(quote("OWL2_DL"));
        json.append(", \"violations\": ").append(array(violations));
        json.append("}");
        out.println(json);
        out.flush();

        boolean ok = violations.isEmpty() && unparsed.isEmpty() && logged.isEmpty() && missingImports.isEmpty();
        return ok ? EXIT_CONFORMS : EXIT_NOT_CONFORMING;
    }
}
