"""What every comparison script does with its result: print it, and keep it in
bench/results/ when --out names a file."""


def publish(text, out):
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text)
