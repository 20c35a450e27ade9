import CEL
import Testing
