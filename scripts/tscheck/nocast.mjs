// Fails if a file the check type-checks casts: `x as T`, `<T>x`, `x!`,
// or a JSDoc cast `/** @type {T} */ (x)`. A type the document does not
// give could otherwise be forced through, and the check prove nothing.
// The generated declarations (.d.ts) are not ours to judge.
//
// Usage: node nocast.mjs [tsconfig.json]
import ts from "typescript";
import path from "node:path";

const configPath = process.argv[2] ?? "tsconfig.json";
const read = ts.readConfigFile(configPath, ts.sys.readFile);
if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
const config = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(path.resolve(configPath)));
// Parents set, so that a JSDoc tag is found on the node it annotates.
const program = ts.createProgram(config.fileNames, config.options, ts.createCompilerHost(config.options, true));

let casts = 0;
let files = 0;
for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile || sf.fileName.includes("/node_modules/")) continue;
  files++;
  const visit = (node) => {
    let what = "";
    if (ts.isAsExpression(node)) what = "as";
    else if (ts.isTypeAssertionExpression(node)) what = "<T>";
    else if (ts.isNonNullExpression(node)) what = "!";
    else if (ts.isParenthesizedExpression(node) && ts.getJSDocTypeTag(node)) what = "JSDoc @type";
    if (what) {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      console.error(`${path.relative(process.cwd(), sf.fileName)}:${line + 1}:${character + 1}: a cast (${what}): ${node.getText(sf)}`);
      casts++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
if (files === 0) throw new Error("nocast: no file to check");
if (casts > 0) {
  console.error(`nocast: ${casts} cast(s); the check must type-check without them`);
  process.exit(1);
}
console.log(`nocast: no cast in ${files} file(s)`);
