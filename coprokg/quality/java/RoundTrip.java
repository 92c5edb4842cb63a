/*
 * Load a Turtle ontology with the OWL API and save it as Turtle, as Protégé does on "Save".
 *
 * Usage: java -cp CLASSPATH RoundTrip IN_FILE OUT_FILE [EDIT...]
 *
 * IN_FILE is parsed with the OWL API's own Turtle parser; imports are not
 * followed (MissingImportHandlingStrategy.SILENT and no IRI mapper, so no
 * network access). The ontology is written to OUT_FILE in TurtleDocumentFormat
 * with the prefixes of the loaded document, which is what Protégé's save does.
 * With no EDIT the save is unedited. Each EDIT adds one axiom first:
 *
 *   --add-comment SUBJECT_IRI TEXT    an rdfs:comment annotation assertion (TEXT@en)
 *   --add-subclass SUB_IRI SUPER_IRI  a SubClassOf axiom between two named classes
 *
 * Exit status: 0 saved; 2 bad arguments or IN_FILE cannot be loaded; 3 the
 * save failed or the OWL API crashed (one line on stderr in both cases).
 */

import java.io.File;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.PrefixDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;

public final class RoundTrip {

    static final int EXIT_SAVED = 0;
    static final int EXIT_LOAD_ERROR = 2;
    static final int EXIT_SAVE_ERROR = 3;

    private RoundTrip() {}

    static String oneLine(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        msg = msg.replaceAll("\\s+", " ").trim();
        return t.getClass().getSimpleName() + ": " + (msg.length() > 600 ? msg.substring(0, 600) + "..." : msg);
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable t) { // NoClassDefFoundError, OutOfMemoryError, ...
            System.err.println("RoundTrip failed: " + oneLine(t));
            status = EXIT_SAVE_ERROR;
        }
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RoundTrip IN_FILE OUT_FILE [--add-comment IRI TEXT | --add-subclass SUB SUPER]...");
            return EXIT_LOAD_ERROR;
        }
        File in = new File(args[0]);
        File out = new File(args[1]);
        if (!in.isFile()) {
            System.err.println("cannot load " + in + ": no such file");
            return EXIT_LOAD_ERROR;
        }
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.OFF);

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
                .setFollowRedirects(false);
        OWLOntology ont;
        try {
            ont = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(in, new TurtleDocumentFormat()), config);
        } catch (Exception | StackOverflowError e) {
            System.err.println("cannot load " + in + " as Turtle: " + oneLine(e));
            return EXIT_LOAD_ERROR;
        }

        OWLDataFactory df = manager.getOWLDataFactory();
        for (int i = 2; i < args.length; i += 3) {
            if (i + 2 >= args.length) {
                System.err.println("incomplete edit: " + args[i]);
                return EXIT_LOAD_ERROR;
            }
            OWLAxiom axiom;
            if ("--add-comment".equals(args[i])) {
                axiom = df.getOWLAnnotationAssertionAxiom(IRI.create(args[i + 1]),
                        df.getRDFSComment(df.getOWLLiteral(args[i + 2], "en")));
            } else if ("--add-subclass".equals(args[i])) {
                axiom = df.getOWLSubClassOfAxiom(df.getOWLClass(IRI.create(args[i + 1])),
                        df.getOWLClass(IRI.create(args[i + 2])));
            } else {
                System.err.println("unknown edit: " + args[i]);
                return EXIT_LOAD_ERROR;
            }
            ont.add(axiom);
        }

        // Protégé saves in the format the ontology was loaded with, prefixes included.
        TurtleDocumentFormat format = new TurtleDocumentFormat();
        OWLDocumentFormat loaded = manager.getOntologyFormat(ont);
        if (loaded != null && loaded.isPrefixOWLDocumentFormat()) {
            PrefixDocumentFormat prefixes = loaded.asPrefixOWLDocumentFormat();
            format.copyPrefixesFrom(prefixes);
        }
        try {
            manager.saveOntology(ont, format, IRI.create(out.getAbsoluteFile()));
        } catch (Exception e) {
            System.err.println("cannot save " + out + ": " + oneLine(e));
            return EXIT_SAVE_ERROR;
        }
        return EXIT_SAVED;
    }
}
