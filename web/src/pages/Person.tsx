// Being written: replaced by the screen's own module.
export default function Person() {
  return <section><h1>Person</h1></section>;
}
