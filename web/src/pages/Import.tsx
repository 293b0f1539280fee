// Being written: replaced by the screen's own module.
export default function Import() {
  return <section><h1>Import</h1></section>;
}
