// Being written: replaced by the screen's own module.
export default function Persons() {
  return <section><h1>Persons</h1></section>;
}
