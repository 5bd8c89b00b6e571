"""Run localstripe for the tests, with its state kept in memory only.

localstripe pickles its whole store to the fixed path /tmp/localstripe.pickle after every write. Parallel
test workers would overwrite one another's file, and a later `localstripe` started without
`--from-scratch` (the demo) would load their leftovers; the tests start from scratch anyway.

Usage: python localstripe_memory.py --port PORT
"""

import sys

from localstripe import resources, server

resources.Store.dump_to_disk = lambda self: None
sys.argv = ["localstripe", "--from-scratch", *sys.argv[1:]]
server.start()
