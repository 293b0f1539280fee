// Being written: replaced by the screen's own module.
export default function Review() {
  return <section><h1>Review</h1></section>;
}
