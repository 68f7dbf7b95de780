// Tests for this module live beside this file, one file per source file.
import XCTest
