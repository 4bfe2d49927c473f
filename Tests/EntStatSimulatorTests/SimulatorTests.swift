import Testing
@testable import EntStatSimulator
