// The oracle for tests/groovy_diff.rs: runs every snippet under SNIPPETS (default
// fixtures/groovy) in this one JVM and writes, next to each `<name>.groovy` (or under OUT when
// given), `<name>.out`: exactly what Groovy printed on stdout, then, when the snippet threw,
// one line `Caught: <exception.toString()>` (what `groovy FILE` and `jenkinsfile groovy FILE`
// print on stderr before exiting 1).
//
// Usage: groovy scripts/groovy-oracle.groovy [SNIPPETS [OUT]]
//
// Each snippet gets a fresh GroovyShell (own class loader) and Binding, so no class, variable
// or metaclass change leaks from one snippet to the next. The JVM runs with a fixed locale and
// time zone so the outputs do not depend on the machine.
import java.nio.charset.StandardCharsets

Locale.setDefault(Locale.US)
TimeZone.setDefault(TimeZone.getTimeZone('UTC'))

if (!GroovySystem.version.startsWith('2.4.')) {
    System.err.println("groovy-oracle: Groovy ${GroovySystem.version}; the oracle must be Groovy 2.4 (Jenkins' version)")
    System.exit(2)
}

def snippets = new File(args.length > 0 ? args[0] : 'fixtures/groovy').canonicalFile
def outRoot = new File(args.length > 1 ? args[1] : snippets.path).canonicalFile
if (!snippets.isDirectory()) {
    System.err.println("no snippet directory: ${snippets}")
    System.exit(2)
}

def files = []
snippets.eachFileRecurse { File f -> if (f.name.endsWith('.groovy')) files << f }
files.sort { it.path }

def realOut = System.out
def realErr = System.err
int threw = 0
files.each { File file ->
    def rel = snippets.toPath().relativize(file.toPath()).toString()
    def buffer = new ByteArrayOutputStream()
    def capture = new PrintStream(buffer, true, 'UTF-8')
    String caught = ''
    System.setOut(capture)
    System.setErr(capture)
    try {
        new GroovyShell(new Binding()).evaluate(file)
    } catch (Throwable e) {
        caught = "Caught: ${e}\n"
        threw++
    } finally {
        capture.flush()
        System.setOut(realOut)
        System.setErr(realErr)
    }
    def out = new File(outRoot, rel.replaceAll(/\.groovy$/, '.out'))
    out.parentFile.mkdirs()
    out.setText(buffer.toString('UTF-8') + caught, 'UTF-8')
}
realOut.println("groovy-oracle: ${files.size()} snippets (${threw} threw) -> ${outRoot}")
