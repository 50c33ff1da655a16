# The notes' grep lab, written the notes' way: a filename and a regex
# pattern on the command line; each line the pattern matches is printed.
import re
import sys

filename = sys.argv[1]
pattern = sys.argv[2]
with open(filename) as f:
    for line in f:
        if re.search(pattern, line):
            print(line, end="")
