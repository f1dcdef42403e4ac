import Contracts
import Testing

@Suite struct EmailAddressTests {
    @Test func theDomainIsStoredInItsASCIIForm() {
        #expect(EmailAddress.normalize("Anna@Пример.РФ") == "Anna@xn--e1afmkfd.xn--p1ai")
        #expect(EmailAddress.normalize("anna@пример.рф") == "anna@xn--e1afmkfd.xn--p1ai")
        #expect(EmailAddress.normalize("  Anna@Example.RU ") == "Anna@example.ru")
        #expect(EmailAddress.normalize("info@Bücher.DE") == "info@xn--bcher-kva.de")
        #expect(EmailAddress.normalize("anna@xn--e1afmkfd.xn--p1ai") == "anna@xn--e1afmkfd.xn--p1ai")
    }

    @Test func nfcAndNFDSpellingsOfALocalPartAreOneAddress() {
        // Swift's == already sees the two as equal; SQLite compares bytes, so compare bytes.
        let composed = "jos\u{00E9}@example.com", decomposed = "jose\u{0301}@example.com"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        #expect(EmailAddress.normalize(decomposed).map { Array($0.utf8) } == Array(composed.utf8))
        #expect(EmailAddress.normalize(composed).map { Array($0.utf8) } == Array(composed.utf8))
        // The same in the domain: libidn2 is asked for NFC input.
        #expect(EmailAddress.normalize("a@cafe\u{0301}.fr").map { Array($0.utf8) } == Array("a@xn--caf-dma.fr".utf8))
    }

    @Test func theKeyFoldsTheLocalPartsCaseToo() {
        #expect(EmailAddress.key("Anna@Пример.РФ") == "anna@xn--e1afmkfd.xn--p1ai")
        #expect(EmailAddress.key("ANNA@ПРИМЕР.РФ") == EmailAddress.key("anna@пример.рф"))
        #expect(EmailAddress.key("Ёлка@Example.ru") == "ёлка@example.ru")
        #expect(EmailAddress.lookupKey(" FYODOR@example.ru") == "fyodor@example.ru")
    }

    @Test func plainASCIIAddressesTakeTheShortWayToTheSameForm() {
        #expect(EmailAddress.normalize("Anna.K+shop@Example.COM") == "Anna.K+shop@example.com")
        #expect(EmailAddress.normalize("\"a@b\"@Mail.Example.ru") == "\"a@b\"@mail.example.ru")
        #expect(EmailAddress.normalize("a@b") == "a@b")
        // A space, a tab or a DEL anywhere: the long way (trimmed, or refused in the domain).
        #expect(EmailAddress.normalize("\tAnna@Example.RU") == "Anna@example.ru")
        #expect(EmailAddress.normalize("anna@exa mple.ru") == nil)
        #expect(EmailAddress.normalize("anna@") == nil)
        #expect(EmailAddress.normalize("@example.ru") == nil)
    }

    @Test(arguments: ["", "anna", "@example.ru", "anna@", "anna@exa mple.рф", "anna@-пример.рф", "a@b\u{0}.рф"])
    func whatIsNoAddressIsRefused(raw: String) {
        #expect(EmailAddress.normalize(raw) == nil)
    }
}
